// fact_framework_adoptions: which frameworks each customer took on, when, and how it went.
//
// Rules:
// - Adoption chance per customer and framework (ADOPTION_RATE): the specification's industry-specific rates,
//   with the default for the other industries calibrated so each overall rate is the headline rate (SOC2
//   Type I 95 %, SOC2 Type II 70 %, ISO 27001 40 %, GDPR 35 %, NIST CSF 75 %); HIPAA 95 % of healthtech and 5 %
//   of others; PCI DSS 90 % of fintech and ecommerce and 15 % of others. "Larger customers adopt more": the
//   optional frameworks (SOC2 Type II, ISO 27001, GDPR, NIST CSF) are scaled by segment (0.85 / 1.1 / 1.3,
//   mean 1 over the 150 / 113 / 37 mix). SOC2 Type II is only adopted with SOC2 Type I, its prerequisite,
//   and starts 30-150 days after it. The customer dimension has no government_contractors industry (001 names
//   it only in industry_relevance), so FedRAMP, "rare", goes by segment: 2 % / 4 % / 12 %.
//   Adopters are chosen per framework by systematic sampling (each customer with exactly its chance, the
//   count equal to the rounded sum of chances), and every customer adopts at least SOC2 Type I.
// - start_date: signup + 0-180 days (advanced), 0-365 (intermediate), 180-540 (beginner), never before the
//   customer's `new` subscription event. A start that would fall after the service window (2024-12-31, or the
//   churn date) is redrawn uniformly inside it, so the adoption rates describe the whole customer base.
// - Planned completion = start + round(avg_completion_days x 0.8 / 1.0 / 1.3 by maturity) +/- 30 days.
//   A churned customer only has adoptions it finished before churning.
// - Point-in-time consistency at 2024-12-31: an adoption whose planned completion is after the as-of date is
//   `active` with completion_date NULL (not finished yet); finished ones are `completed` (2/3) or
//   `certified` (1/3), the specification's 60:30. So the active share follows from the dates instead of a
//   10 % draw (recent signups are still implementing).
// - audit_score (integer): advanced 85-98, intermediate 75-90, beginner 65-85; higher complexity pulls the
//   score toward the bottom of the range.
// - automation_level (integer %): framework automation_percentage + 10..20 (advanced), -5..+5 (intermediate),
//   -15..-10 (beginner), within 0-100.
// - hours_saved (integer): base hours 100-2000 by complexity (1-10) x automation_level % x segment (startup 0.6,
//   mid-market 1.0, enterprise 1.6) x maturity (beginner 0.85, intermediate 1.0, advanced 1.2) x 0.9-1.1;
//   for an active adoption it is the projected figure.
// - implementation_cost: certification_cost_usd x 50-80 % (startup), 80-120 % (mid-market), 100-200 %
//   (enterprise), whole dollars.

import { dayFromIso, isoDate } from './calendar.js';
import type { CustomerRow } from './customers.js';
import { type Industry, type Maturity, type Segment, type TableSpec, clamp, zeroPad } from './dataset.js';
import { FRAMEWORKS, type FrameworkName, type FrameworkRow } from './frameworks.js';
import { type Rng, rngFor } from './prng.js';
import type { ServiceWindow } from './subscription-events.js';

export type AdoptionStatus = 'active' | 'completed' | 'certified';

export type FrameworkAdoptionRow = {
  readonly adoption_id: string;
  readonly customer_id: string;
  readonly framework_id: number;
  readonly start_date: string;
  readonly completion_date: string | null;
  readonly status: AdoptionStatus;
  readonly audit_score: number;
  readonly hours_saved: number;
  readonly implementation_cost: number;
  readonly automation_level: number;
};

export const FRAMEWORK_ADOPTIONS_TABLE: TableSpec = {
  name: 'fact_framework_adoptions',
  description: 'Framework adoptions as of 2024-12-31; completion_date is NULL while status is active.',
  gzip: true,
  columns: [
    { name: 'adoption_id', kind: 'varchar' },
    { name: 'customer_id', kind: 'varchar' },
    { name: 'framework_id', kind: 'integer' },
    { name: 'start_date', kind: 'date' },
    { name: 'completion_date', kind: 'date' },
    { name: 'status', kind: 'varchar' },
    { name: 'audit_score', kind: 'integer' },
    { name: 'hours_saved', kind: 'integer' },
    { name: 'implementation_cost', kind: 'money' },
    { name: 'automation_level', kind: 'integer' },
  ],
};

type Rate = { readonly all: number } & Partial<Record<Industry, number>>;

/**
 * Adoption probability per framework: the specification's industry-specific rates as overrides, and a default
 * for the other industries calibrated so the overall rate is the headline rate of 000/001 (SOC2 Type I 95 %,
 * ISO 27001 40 %, GDPR 35 %, NIST CSF 75 %; e.g. ISO: 0.3 x 45 % + 0.2 x 60 % + 0.15 x 50 % + 0.35 x 20 % = 40 %).
 * HIPAA (95 % healthtech, 5 % others) and PCI DSS (90 % fintech and ecommerce, 15 % others) are taken as given.
 */
export const ADOPTION_RATE: Readonly<Record<Exclude<FrameworkName, 'FedRAMP'>, Rate>> = {
  SOC2_Type_I: { all: 0.91, saas: 0.98, fintech: 0.98, healthtech: 0.95, ecommerce: 0.9 },
  /** Overall rate; applied as P(Type II | Type I) = rate / P(Type I). */
  SOC2_Type_II: { all: 0.7 },
  ISO27001: { all: 0.2, healthtech: 0.5, fintech: 0.6, saas: 0.45 },
  HIPAA: { all: 0.05, healthtech: 0.95 },
  GDPR: { all: 0.3, ecommerce: 0.5, saas: 0.4 },
  PCI_DSS: { all: 0.15, fintech: 0.9, ecommerce: 0.9 },
  NIST_CSF: { all: 0.53, healthtech: 0.85, fintech: 0.9, ecommerce: 0.7, saas: 0.8 },
};
export const FEDRAMP_RATE: Readonly<Record<Segment, number>> = { startup: 0.02, mid_market: 0.04, enterprise: 0.12 };
const OPTIONAL_FRAMEWORKS: readonly FrameworkName[] = ['SOC2_Type_II', 'ISO27001', 'GDPR', 'NIST_CSF'];
export const SIZE_FACTOR: Readonly<Record<Segment, number>> = { startup: 0.85, mid_market: 1.1, enterprise: 1.3 };

export const START_OFFSET_DAYS: Readonly<Record<Maturity, readonly [number, number]>> = {
  advanced: [0, 180],
  intermediate: [0, 365],
  beginner: [180, 540],
};
export const DURATION_FACTOR: Readonly<Record<Maturity, number>> = { advanced: 0.8, intermediate: 1, beginner: 1.3 };
export const AUDIT_SCORE_RANGE: Readonly<Record<Maturity, readonly [number, number]>> = {
  advanced: [85, 98],
  intermediate: [75, 90],
  beginner: [65, 85],
};
export const AUTOMATION_OFFSET: Readonly<Record<Maturity, readonly [number, number]>> = {
  advanced: [10, 20],
  intermediate: [-5, 5],
  beginner: [-15, -10],
};
export const COST_SHARE: Readonly<Record<Segment, readonly [number, number]>> = {
  startup: [0.5, 0.8],
  mid_market: [0.8, 1.2],
  enterprise: [1, 2],
};
const HOURS_SEGMENT: Readonly<Record<Segment, number>> = { startup: 0.6, mid_market: 1, enterprise: 1.6 };
const HOURS_MATURITY: Readonly<Record<Maturity, number>> = { beginner: 0.85, intermediate: 1, advanced: 1.2 };

/** What the activity generator needs to know about an adoption beyond its row. */
export interface AdoptionPlan {
  readonly row: FrameworkAdoptionRow;
  readonly customer: CustomerRow;
  readonly framework: FrameworkRow;
  readonly startDay: number;
  /** The day it finished, or null while active. */
  readonly completionDay: number | null;
  /** Last day the customer is on the platform (churn date or 2024-12-31). */
  readonly serviceEndDay: number;
}

export function adoptionChance(c: CustomerRow, f: FrameworkRow): number {
  if (f.framework_name === 'FedRAMP') return FEDRAMP_RATE[c.segment];
  const rate = ADOPTION_RATE[f.framework_name];
  let p = rate[c.industry] ?? rate.all;
  if (f.framework_name === 'SOC2_Type_II') {
    const typeI = ADOPTION_RATE.SOC2_Type_I;
    p /= typeI[c.industry] ?? typeI.all;
  }
  if (OPTIONAL_FRAMEWORKS.includes(f.framework_name)) p *= SIZE_FACTOR[c.segment];
  return Math.min(0.99, p);
}

function plannedDuration(rng: Rng, c: CustomerRow, f: FrameworkRow): number {
  return Math.round(f.avg_completion_days * DURATION_FACTOR[c.compliance_maturity]) + rng.int(-30, 30);
}

/** The outcome columns, drawn after the dates are known. */
function outcome(rng: Rng, c: CustomerRow, f: FrameworkRow) {
  const [sLo, sHi] = AUDIT_SCORE_RANGE[c.compliance_maturity];
  const complexityPull = 1 - 0.06 * (f.complexity_score - 4);
  const audit_score = sLo + Math.round((sHi - sLo) * rng.float() * Math.min(1, complexityPull));
  const [aLo, aHi] = AUTOMATION_OFFSET[c.compliance_maturity];
  const automation_level = clamp(f.automation_percentage + rng.int(aLo, aHi), 0, 100);
  const baseHours = 100 + ((f.complexity_score - 1) * 1900) / 9;
  const hours_saved = Math.round(
    baseHours *
      (automation_level / 100) *
      HOURS_SEGMENT[c.segment] *
      HOURS_MATURITY[c.compliance_maturity] *
      rng.uniform(0.9, 1.1),
  );
  const [cLo, cHi] = COST_SHARE[c.segment];
  const implementation_cost = Math.round(f.certification_cost_usd * rng.uniform(cLo, cHi));
  return { audit_score, automation_level, hours_saved, implementation_cost };
}

interface Drafted {
  readonly customerIndex: number;
  readonly framework: FrameworkRow;
  readonly startDay: number;
  readonly completionDay: number | null;
  readonly status: AdoptionStatus;
  readonly outcome: ReturnType<typeof outcome>;
}

/**
 * Systematic sampling: walks the items in shuffled order and picks one wherever the running sum of chances
 * passes offset + k. Each item is picked with exactly its chance, and the number picked is the sum of the
 * chances rounded, so the dataset's rates are not at the mercy of sampling noise on 300 customers.
 */
export function systematicSample(rng: Rng, chances: readonly number[]): boolean[] {
  const order = rng.shuffle(chances.map((_, i) => i));
  const offset = rng.float();
  const picked = chances.map(() => false);
  let sum = 0;
  for (const i of order) {
    const before = Math.floor(sum - offset);
    sum += chances[i] ?? 0;
    picked[i] = Math.floor(sum - offset) > before;
  }
  return picked;
}

/** adopted[framework index][customer index]; every customer takes at least SOC2 Type I, the entry product. */
function chooseAdoptions(customers: readonly CustomerRow[]): boolean[][] {
  const adopted: boolean[][] = [];
  FRAMEWORKS.forEach((f, k) => {
    const typeI = adopted[0] ?? [];
    const chances = customers.map((c, i) =>
      f.framework_name === 'SOC2_Type_II' && !typeI[i] ? 0 : adoptionChance(c, f),
    );
    adopted[k] = systematicSample(rngFor(`adoptions/sample/${f.framework_name}`), chances);
  });
  customers.forEach((_, i) => {
    const typeI = adopted[0];
    if (typeI && !adopted.some((row) => row[i])) typeI[i] = true;
  });
  return adopted;
}

function customerAdoptions(
  c: CustomerRow,
  index: number,
  w: ServiceWindow,
  adopted: readonly boolean[],
  rng: Rng,
): Drafted[] {
  const signup = dayFromIso(c.signup_date);
  const drafted: Drafted[] = [];
  let typeIStart: number | null = null;
  for (const [k, f] of FRAMEWORKS.entries()) {
    const adopt = adopted[k] === true;
    const duration = plannedDuration(rng, c, f);
    const [oLo, oHi] = START_OFFSET_DAYS[c.compliance_maturity];
    const earliest = f.framework_name === 'SOC2_Type_II' ? (typeIStart ?? w.startDay) : w.startDay;
    let start: number =
      f.framework_name === 'SOC2_Type_II' && typeIStart !== null
        ? typeIStart + rng.int(30, 150)
        : Math.max(w.startDay, signup + rng.int(oLo, oHi));
    // A churned customer must have finished before leaving; everyone else may still be implementing.
    const latest = w.churned ? w.endDay - duration : w.endDay;
    if (start > latest) start = latest >= earliest ? rng.int(earliest, latest) : Number.NaN;
    const result = outcome(rng, c, f);
    const certified = rng.chance(1 / 3);
    if (!adopt || Number.isNaN(start)) continue;
    if (f.framework_name === 'SOC2_Type_II' && typeIStart === null) continue;
    if (f.framework_name === 'SOC2_Type_I') typeIStart = start;
    const planned = start + duration;
    const finished = planned <= w.endDay;
    drafted.push({
      customerIndex: index,
      framework: f,
      startDay: start,
      completionDay: finished ? planned : null,
      status: !finished ? 'active' : certified ? 'certified' : 'completed',
      outcome: result,
    });
  }
  return drafted;
}

export function generateFrameworkAdoptions(
  customers: readonly CustomerRow[],
  windows: readonly ServiceWindow[],
): AdoptionPlan[] {
  const adopted = chooseAdoptions(customers);
  const drafted = customers.flatMap((c, i) =>
    customerAdoptions(
      c,
      i,
      windows[i] as ServiceWindow,
      adopted.map((row) => row[i] === true),
      rngFor(`adoptions/${c.customer_id}`),
    ),
  );
  drafted.sort(
    (p, q) =>
      p.startDay - q.startDay || p.customerIndex - q.customerIndex || p.framework.framework_id - q.framework.framework_id,
  );
  return drafted.map((d, n) => {
    const customer = customers[d.customerIndex] as CustomerRow;
    const row: FrameworkAdoptionRow = {
      adoption_id: `ADP-${zeroPad(n + 1, 5)}`,
      customer_id: customer.customer_id,
      framework_id: d.framework.framework_id,
      start_date: isoDate(d.startDay),
      completion_date: d.completionDay === null ? null : isoDate(d.completionDay),
      status: d.status,
      ...d.outcome,
    };
    const serviceEndDay = (windows[d.customerIndex] as ServiceWindow).endDay;
    return { row, customer, framework: d.framework, startDay: d.startDay, completionDay: d.completionDay, serviceEndDay };
  });
}
