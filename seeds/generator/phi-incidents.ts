// fact_phi_incidents: the security and privacy incidents involving PHI that Phantom Sec's HIPAA customers log in the
// breach register of its HIPAA module: a second, PHI-bearing data domain for the governance layer to protect.
//
// Rules:
// - Who and when: the healthtech customers with a HIPAA adoption, the covered entities among them (the few other
//   customers that adopted HIPAA, as business associates, hold no patient records to lose). A customer logs
//   incidents from its HIPAA adoption's start to the as-of date or, once churned, to 180 days before its churn
//   date, so that every incident is notified and closed before it leaves: every date of an incident lies inside
//   the customer's subscription life.
// - How many: each day of that window reports an incident with chance 0.4 / 1.2 / 3 in 30 (startup / mid-market /
//   enterprise): about 1,100 incidents in all.
// - Region, where the affected system runs: startups operate in NA only; a mid-market customer also in EMEA (35 %)
//   and APAC (15 %); an enterprise also in EMEA (80 %) and APAC (60 %). An incident's region is drawn among its
//   customer's regions, weighted NA 65, EMEA 20, APAC 15.
// - incident_type, the HHS breach portal's categories: unauthorized_access 45 %, hacking_it 30 %, theft 10 %,
//   loss 10 %, improper_disposal 5 %.
// - Dates: reported_date is the day drawn; discovered_date 0-3 days earlier; occurred_date earlier still by the
//   type's detection lag (hacking 0-180 days, skewed short; unauthorized access 0-30; theft and loss 0-3; disposal
//   0-60), never before the window's start.
// - records_affected: a severity band drawn by type (RECORD_BANDS; startups have no critical incidents), then a
//   count inside the band skewed toward its bottom. severity follows the count: critical from 10,000 records, high
//   from 500 (HIPAA's threshold for notifying HHS and the media at once), medium from 50, low below.
// - is_breach, the risk assessment's verdict that notification is required: 70 / 85 / 60 / 50 / 80 % by type
//   (unauthorized access, hacking, theft, loss, disposal); a lost or stolen device is often encrypted.
// - notified_date, when the affected individuals were notified (a breach only): 10-55 days after discovery (85 %),
//   56-60 (10 %) or late, 61-120 (5 %), against HIPAA's 60 days; NULL while after the as-of date.
// - status and closed_date: closed 7-45 days after the notification (after discovery when no breach); `open` with
//   closed_date NULL while that is after the as-of date.
// - patient_pseudonym: the token of the index patient's record from the customer's tokenisation service, PSN- and
//   10 hex digits (synthetic PHI). reporter_email: one of the customer's one to three privacy officers,
//   first.last@ the customer's own email domain (an example.com subdomain, as in dim_customers).
// - incident_id: INC-nnnnn in order of reported date, then customer, then draw.

import { isoDate } from './calendar.js';
import { AS_OF_DAY, type Segment, type TableSpec, zeroPad } from './dataset.js';
import type { AdoptionPlan } from './framework-adoptions.js';
import { emailLocalPart, FIRST_NAMES, LAST_NAMES } from './names.js';
import { type Rng, type Weighted, rngFor } from './prng.js';

export const REGIONS = ['NA', 'EMEA', 'APAC'] as const;
export type Region = (typeof REGIONS)[number];

export const INCIDENT_TYPES = ['unauthorized_access', 'hacking_it', 'theft', 'loss', 'improper_disposal'] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type PhiIncidentRow = {
  readonly incident_id: string;
  readonly customer_id: string;
  readonly region: Region;
  readonly incident_type: IncidentType;
  readonly occurred_date: string;
  readonly discovered_date: string;
  readonly reported_date: string;
  readonly patient_pseudonym: string;
  readonly reporter_email: string;
  readonly records_affected: number;
  readonly severity: Severity;
  readonly is_breach: boolean;
  readonly notified_date: string | null;
  readonly status: 'open' | 'closed';
  readonly closed_date: string | null;
};

export const PHI_INCIDENTS_TABLE: TableSpec = {
  name: 'fact_phi_incidents',
  description:
    "PHI incidents in the HIPAA customers' breach register as of 2024-12-31 (synthetic; patient_pseudonym and reporter_email are fake PHI and PII for masking tests).",
  gzip: true,
  columns: [
    { name: 'incident_id', kind: 'varchar' },
    { name: 'customer_id', kind: 'varchar' },
    { name: 'region', kind: 'varchar' },
    { name: 'incident_type', kind: 'varchar' },
    { name: 'occurred_date', kind: 'date' },
    { name: 'discovered_date', kind: 'date' },
    { name: 'reported_date', kind: 'date' },
    { name: 'patient_pseudonym', kind: 'varchar' },
    { name: 'reporter_email', kind: 'varchar' },
    { name: 'records_affected', kind: 'integer' },
    { name: 'severity', kind: 'varchar' },
    { name: 'is_breach', kind: 'boolean' },
    { name: 'notified_date', kind: 'date' },
    { name: 'status', kind: 'varchar' },
    { name: 'closed_date', kind: 'date' },
  ],
};

/** Incidents per 30 days of a customer's window. */
export const INCIDENTS_PER_30_DAYS: Readonly<Record<Segment, number>> = { startup: 0.4, mid_market: 1.2, enterprise: 3 };
/** A churned customer's last incident is reported this many days before its churn date. */
export const CHURN_QUIET_DAYS = 180;
/** HIPAA's deadline for notifying the affected individuals, in days after discovery. */
export const NOTIFICATION_DEADLINE_DAYS = 60;

/** Chance of operating in a region beyond NA, by segment. */
const EXTRA_REGION_CHANCE: Readonly<Record<Segment, Readonly<Record<'EMEA' | 'APAC', number>>>> = {
  startup: { EMEA: 0, APAC: 0 },
  mid_market: { EMEA: 0.35, APAC: 0.15 },
  enterprise: { EMEA: 0.8, APAC: 0.6 },
};
const REGION_WEIGHT: Readonly<Record<Region, number>> = { NA: 65, EMEA: 20, APAC: 15 };

export const INCIDENT_TYPE_MIX: Weighted<IncidentType> = [
  ['unauthorized_access', 45],
  ['hacking_it', 30],
  ['theft', 10],
  ['loss', 10],
  ['improper_disposal', 5],
];

/** Days from occurrence to discovery, at most; hacking is drawn skewed toward quick detection. */
const DETECTION_LAG_DAYS: Readonly<Record<IncidentType, number>> = {
  unauthorized_access: 30,
  hacking_it: 180,
  theft: 3,
  loss: 3,
  improper_disposal: 60,
};

export const BREACH_CHANCE: Readonly<Record<IncidentType, number>> = {
  unauthorized_access: 0.7,
  hacking_it: 0.85,
  theft: 0.6,
  loss: 0.5,
  improper_disposal: 0.8,
};

/** Records affected in each severity band, both ends inclusive. */
export const SEVERITY_BAND: Readonly<Record<Severity, readonly [number, number]>> = {
  low: [1, 49],
  medium: [50, 499],
  high: [500, 9_999],
  critical: [10_000, 150_000],
};

/** Which severity band an incident's record count falls in, by type (weights low / medium / high / critical). */
export const RECORD_BANDS: Readonly<Record<IncidentType, Weighted<Severity>>> = {
  unauthorized_access: [['low', 75], ['medium', 20], ['high', 5], ['critical', 0]],
  hacking_it: [['low', 20], ['medium', 30], ['high', 35], ['critical', 15]],
  theft: [['low', 40], ['medium', 30], ['high', 25], ['critical', 5]],
  loss: [['low', 50], ['medium', 30], ['high', 18], ['critical', 2]],
  improper_disposal: [['low', 50], ['medium', 35], ['high', 15], ['critical', 0]],
};

export function severityOf(records: number): Severity {
  if (records >= SEVERITY_BAND.critical[0]) return 'critical';
  if (records >= SEVERITY_BAND.high[0]) return 'high';
  if (records >= SEVERITY_BAND.medium[0]) return 'medium';
  return 'low';
}

/** The customer's HIPAA adoption, with the window in which it logs incidents. */
interface Logger {
  readonly plan: AdoptionPlan;
  readonly firstDay: number;
  readonly lastDay: number;
}

interface Drafted {
  readonly customerIndex: number;
  readonly draw: number;
  readonly reportedDay: number;
  readonly row: Omit<PhiIncidentRow, 'incident_id'>;
}

function regionsOf(rng: Rng, segment: Segment): Region[] {
  const extra = EXTRA_REGION_CHANCE[segment];
  const regions: Region[] = ['NA'];
  if (rng.chance(extra.EMEA)) regions.push('EMEA');
  if (rng.chance(extra.APAC)) regions.push('APAC');
  return regions;
}

function privacyOfficers(rng: Rng, domain: string): string[] {
  const count = rng.int(1, 3);
  const emails: string[] = [];
  while (emails.length < count) {
    const email = `${emailLocalPart(rng.pick(FIRST_NAMES))}.${emailLocalPart(rng.pick(LAST_NAMES))}@${domain}`;
    if (!emails.includes(email)) emails.push(email);
  }
  return emails;
}

function pseudonym(rng: Rng): string {
  const hex = rng.next32().toString(16).padStart(8, '0') + rng.int(0, 255).toString(16).padStart(2, '0');
  return `PSN-${hex.toUpperCase()}`;
}

/** Days after discovery the individuals are notified: mostly well inside HIPAA's 60 days, sometimes late. */
function notificationDelay(rng: Rng): number {
  const band = rng.weighted<readonly [number, number]>([[[10, 55], 85], [[56, 60], 10], [[61, 120], 5]]);
  return rng.int(band[0], band[1]);
}

function draftIncident(rng: Rng, logger: Logger, day: number, regions: readonly Region[], officers: readonly string[]): Drafted['row'] {
  const { customer } = logger.plan;
  const region = rng.weighted(regions.map((r) => [r, REGION_WEIGHT[r]] as const));
  const type = rng.weighted(INCIDENT_TYPE_MIX);
  const discovered = Math.max(logger.firstDay, day - rng.weighted([[0, 50], [1, 30], [2, 12], [3, 8]]));
  const u = rng.float();
  const lag = Math.floor((DETECTION_LAG_DAYS[type] + 1) * (type === 'hacking_it' ? u * u : u));
  const occurred = Math.max(logger.firstDay, discovered - lag);
  const bands = RECORD_BANDS[type].map(([s, w]) => [s, customer.segment === 'startup' && s === 'critical' ? 0 : w] as const);
  const [lo, hi] = SEVERITY_BAND[rng.weighted(bands)];
  const v = rng.float();
  const records = lo + Math.floor((hi - lo + 1) * v * v);
  const isBreach = rng.chance(BREACH_CHANCE[type]);
  const notified = isBreach ? discovered + notificationDelay(rng) : null;
  const closed = Math.max(discovered, notified ?? discovered) + rng.int(7, 45);
  return {
    customer_id: customer.customer_id,
    region,
    incident_type: type,
    occurred_date: isoDate(occurred),
    discovered_date: isoDate(discovered),
    reported_date: isoDate(day),
    patient_pseudonym: pseudonym(rng),
    reporter_email: rng.pick(officers),
    records_affected: records,
    severity: severityOf(records),
    is_breach: isBreach,
    notified_date: notified !== null && notified <= AS_OF_DAY ? isoDate(notified) : null,
    status: closed <= AS_OF_DAY ? 'closed' : 'open',
    closed_date: closed <= AS_OF_DAY ? isoDate(closed) : null,
  };
}

export function generatePhiIncidents(plans: readonly AdoptionPlan[]): PhiIncidentRow[] {
  const loggers: Logger[] = [];
  for (const plan of plans) {
    if (plan.framework.framework_name !== 'HIPAA' || plan.customer.industry !== 'healthtech') continue;
    const churned = plan.serviceEndDay < AS_OF_DAY;
    loggers.push({ plan, firstDay: plan.startDay, lastDay: churned ? plan.serviceEndDay - CHURN_QUIET_DAYS : AS_OF_DAY });
  }
  // In customer order, whatever order the adoptions come in.
  loggers.sort((a, b) => (a.plan.customer.customer_id < b.plan.customer.customer_id ? -1 : 1));
  const drafted: Drafted[] = [];
  loggers.forEach((logger, index) => {
    const { customer } = logger.plan;
    // One stream per customer: its footprint and privacy team first, then one draw per day of its window.
    const rng = rngFor(`phi-incidents/${customer.customer_id}`);
    const regions = regionsOf(rng, customer.segment);
    const officers = privacyOfficers(rng, customer.primary_contact_email.split('@')[1] ?? 'example.com');
    const chance = INCIDENTS_PER_30_DAYS[customer.segment] / 30;
    for (let day = logger.firstDay; day <= logger.lastDay; day++) {
      if (!rng.chance(chance)) continue;
      drafted.push({ customerIndex: index, draw: drafted.length, reportedDay: day, row: draftIncident(rng, logger, day, regions, officers) });
    }
  });
  drafted.sort((p, q) => p.reportedDay - q.reportedDay || p.customerIndex - q.customerIndex || p.draw - q.draw);
  return drafted.map((d, n) => ({ incident_id: `INC-${zeroPad(n + 1, 5)}`, ...d.row }));
}
