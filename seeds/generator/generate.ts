// The Phantom Sec showcase dataset as plain rows: a pure function of the fixed seed.

import { type ComplianceActivityRow, COMPLIANCE_ACTIVITIES_TABLE, generateComplianceActivities } from './compliance-activities.js';
import { type CustomerRow, CUSTOMERS_TABLE, generateCustomers } from './customers.js';
import type { Row, TableSpec } from './dataset.js';
import { type FrameworkAdoptionRow, FRAMEWORK_ADOPTIONS_TABLE, generateFrameworkAdoptions } from './framework-adoptions.js';
import { chooseFrameworks } from './framework-choice.js';
import { FRAMEWORKS, FRAMEWORKS_TABLE, type FrameworkRow } from './frameworks.js';
import { generatePhiIncidents, PHI_INCIDENTS_TABLE, type PhiIncidentRow } from './phi-incidents.js';
import { SUBSCRIPTION_EVENTS_TABLE, type SubscriptionEventRow, generateSubscriptionEvents } from './subscription-events.js';

export interface PhantomSecData {
  readonly customers: readonly CustomerRow[];
  readonly frameworks: readonly FrameworkRow[];
  readonly subscriptionEvents: readonly SubscriptionEventRow[];
  readonly adoptions: readonly FrameworkAdoptionRow[];
  readonly activities: readonly ComplianceActivityRow[];
  readonly phiIncidents: readonly PhiIncidentRow[];
}

/** Each table with the key of its rows in PhantomSecData, in load order. */
export const SEED_TABLES: readonly { readonly key: keyof PhantomSecData; readonly table: TableSpec }[] = [
  { key: 'customers', table: CUSTOMERS_TABLE },
  { key: 'frameworks', table: FRAMEWORKS_TABLE },
  { key: 'subscriptionEvents', table: SUBSCRIPTION_EVENTS_TABLE },
  { key: 'adoptions', table: FRAMEWORK_ADOPTIONS_TABLE },
  { key: 'activities', table: COMPLIANCE_ACTIVITIES_TABLE },
  { key: 'phiIncidents', table: PHI_INCIDENTS_TABLE },
];

export function generatePhantomSec(): PhantomSecData {
  const customers = generateCustomers();
  // Chosen before any date: the subscription history depends on the frameworks, the adoption dates on the history.
  const choices = chooseFrameworks(customers);
  const { rows: subscriptionEvents, windows } = generateSubscriptionEvents(customers, choices);
  const plans = generateFrameworkAdoptions(customers, windows, choices);
  const activities = generateComplianceActivities(plans);
  // Drawn last, from the HIPAA adoptions, so the other tables are as they were without it.
  const phiIncidents = generatePhiIncidents(plans);
  return {
    customers,
    frameworks: FRAMEWORKS,
    subscriptionEvents,
    adoptions: plans.map((p) => p.row),
    activities,
    phiIncidents,
  };
}

export function rowsOf(data: PhantomSecData, key: keyof PhantomSecData): readonly Row[] {
  return data[key];
}
