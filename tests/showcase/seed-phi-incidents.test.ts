// The PHI incident seed (fact_phi_incidents): who reports incidents, when, and what the breach register records.
//
// Expectations are written out from the rules in seeds/generator/phi-incidents.ts rather than imported from it, so
// a wrong constant in the generator fails here; dates are compared as ISO text and measured with Date.UTC.

import { describe, expect, it } from 'vitest';
import { groupBy } from '../helpers/group-by.js';
import { phantomSec } from '../helpers/phantom-sec.js';

const { customers, frameworks, subscriptionEvents, adoptions, phiIncidents: incidents } = phantomSec();
const AS_OF = '2024-12-31';

const days = (from: string, to: string): number => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
const customerOf = new Map(customers.map((c) => [c.customer_id, c]));
const hipaaId = frameworks.find((f) => f.framework_name === 'HIPAA')!.framework_id;
const hipaaStart = new Map(adoptions.filter((a) => a.framework_id === hipaaId).map((a) => [a.customer_id, a.start_date]));
const churnDate = new Map(subscriptionEvents.filter((e) => e.event_type === 'churn').map((e) => [e.customer_id, e.event_date]));
const share = (pred: (i: (typeof incidents)[number]) => boolean): number => incidents.filter(pred).length / incidents.length;

describe('fact_phi_incidents', () => {
  it('has about 1,100 incidents (1,000-1,250), numbered INC-nnnnn in order of reported date', () => {
    expect(incidents.length).toBeGreaterThanOrEqual(1000);
    expect(incidents.length).toBeLessThanOrEqual(1250);
    expect(incidents.map((i) => i.incident_id)).toEqual(incidents.map((_, n) => `INC-${String(n + 1).padStart(5, '0')}`));
    expect(incidents.every((i, n) => n === 0 || incidents[n - 1]!.reported_date <= i.reported_date)).toBe(true);
  });

  it('comes only from healthtech customers with a HIPAA adoption, from its start to their last day (zero violations)', () => {
    const violations = incidents.filter((i) => {
      const start = hipaaStart.get(i.customer_id);
      const end = churnDate.get(i.customer_id) ?? AS_OF;
      const last = i.closed_date ?? i.notified_date ?? i.reported_date;
      return customerOf.get(i.customer_id)?.industry !== 'healthtech' || !start || i.occurred_date < start || last > end;
    });
    expect(violations.slice(0, 3)).toEqual([]);
    // Most of the healthtech HIPAA customers report something.
    const reporting = new Set(incidents.map((i) => i.customer_id)).size;
    const eligible = [...hipaaStart.keys()].filter((id) => customerOf.get(id)?.industry === 'healthtech').length;
    expect(reporting / eligible).toBeGreaterThan(0.8);
  });

  it('dates each incident in order: occurred, discovered, reported 0-3 days later, nothing after the as-of date', () => {
    const violations = incidents.filter(
      (i) => !(i.occurred_date <= i.discovered_date && i.discovered_date <= i.reported_date && days(i.discovered_date, i.reported_date) <= 3 && i.reported_date <= AS_OF),
    );
    expect(violations.slice(0, 3)).toEqual([]);
    expect(incidents.filter((i) => days(i.occurred_date, i.discovered_date) > 180)).toEqual([]);
  });

  it('grades severity by records affected (critical 10,000+, high 500+, medium 50+), with no critical incident at a startup', () => {
    const band = (n: number): string => (n >= 10_000 ? 'critical' : n >= 500 ? 'high' : n >= 50 ? 'medium' : 'low');
    expect(incidents.filter((i) => i.severity !== band(i.records_affected) || i.records_affected < 1 || i.records_affected > 150_000)).toEqual([]);
    expect(incidents.filter((i) => customerOf.get(i.customer_id)?.segment === 'startup' && i.severity === 'critical')).toEqual([]);
    expect(new Set(incidents.map((i) => i.severity))).toEqual(new Set(['low', 'medium', 'high', 'critical']));
  });

  it('mixes incident types 45/30/10/10/5 % within 4 points', () => {
    const mix = { unauthorized_access: 0.45, hacking_it: 0.3, theft: 0.1, loss: 0.1, improper_disposal: 0.05 };
    for (const [type, expected] of Object.entries(mix)) expect(Math.abs(share((i) => i.incident_type === type) - expected), type).toBeLessThan(0.04);
  });

  it('puts startups in NA only and every region in use, NA the largest', () => {
    const byRegion = groupBy(incidents, (i) => i.region);
    expect([...byRegion.keys()].sort()).toEqual(['APAC', 'EMEA', 'NA']);
    expect(byRegion.get('NA')!.length).toBeGreaterThan(incidents.length / 2);
    expect(incidents.filter((i) => customerOf.get(i.customer_id)?.segment === 'startup' && i.region !== 'NA')).toEqual([]);
  });

  it('notifies only breaches, 10-120 days after discovery, at least 90 % of them within HIPAA\'s 60 days', () => {
    const notified = incidents.filter((i) => i.notified_date !== null);
    expect(notified.filter((i) => !i.is_breach)).toEqual([]);
    expect(notified.filter((i) => days(i.discovered_date, i.notified_date!) < 10 || days(i.discovered_date, i.notified_date!) > 120)).toEqual([]);
    expect(notified.filter((i) => days(i.discovered_date, i.notified_date!) <= 60).length / notified.length).toBeGreaterThan(0.9);
    // Unnotified breaches are those whose notification would fall after the as-of date.
    expect(incidents.filter((i) => i.is_breach && i.notified_date === null && days(i.discovered_date, AS_OF) >= 120)).toEqual([]);
  });

  it('closes an incident 7-45 days after its notification (or discovery), open with no closed date until then', () => {
    const violations = incidents.filter((i) =>
      i.status === 'closed'
        ? i.closed_date === null || days(i.notified_date ?? i.discovered_date, i.closed_date) < 7 || days(i.notified_date ?? i.discovered_date, i.closed_date) > 45
        : i.closed_date !== null || (i.is_breach && i.notified_date !== null && days(i.notified_date, AS_OF) > 45),
    );
    expect(violations.slice(0, 3)).toEqual([]);
  });

  it('has synthetic PHI and PII: PSN- tokens, and reporters at the customer\'s own example.com domain', () => {
    expect(incidents.filter((i) => !/^PSN-[0-9A-F]{10}$/.test(i.patient_pseudonym))).toEqual([]);
    const violations = incidents.filter((i) => {
      const domain = customerOf.get(i.customer_id)!.primary_contact_email.split('@')[1];
      return !/^[a-z]+\.[a-z]+@[a-z]+\.example\.com$/.test(i.reporter_email) || i.reporter_email.split('@')[1] !== domain;
    });
    expect(violations.slice(0, 3)).toEqual([]);
    // One to three privacy officers per customer.
    for (const [customer, rows] of groupBy(incidents, (i) => i.customer_id)) expect(new Set(rows.map((r) => r.reporter_email)).size, customer).toBeLessThanOrEqual(3);
  });
});
