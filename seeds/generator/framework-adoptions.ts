// fact_framework_adoptions: when each customer took on the frameworks it chose (framework-choice.ts), and how
// it went.
//
// Rules:
// - start_date: signup + 0-180 days (advanced), 0-365 (intermediate), 180-540 (beginner), never before the
//   customer's `new` subscription event, in the specification's season: "compliance projects often start in
//   Q1/Q2" (PROJECT_START_SEASON in seasonality.ts). A start that would fall after the service window
//   (2024-12-31, or the latest start that still finishes before the churn date) is redrawn inside it, in season,
//   so the adoption rates describe the whole customer base. SOC2 Type II, which needs Type I, starts 30-150
//   days after Type I's start and inside the window (Type I then starts early enough to leave it room); a
//   customer whose window ends within 30 days of its Type I start has no Type II yet.
// - Planned completion = start + round(avg_completion_days x 0.8 / 1.0 / 1.3 by maturity) +/- 30 days.
//   A churned customer only has adoptions it finished before churning.
// - Point-in-time consistency at 2024-12-31: an adoption whose planned completion is after the as-of date is
//   `active` with completion_date NULL (not finished yet). So the active share follows from the dates instead
//   of a 10 % draw (recent signups are still implementing).
// - A finished adoption is `certified` (passed its certification audit) with a chance that rises with its
//   audit score, 30 % + 3 points per point above 80, within 5-85 % (70 or less: 5 %, 80: 30 %, 90: 60 %,
//   98: 84 %), else `completed`: about the specification's 60:30 over the score mix, and the better-run
//   programmes (higher maturity, simpler frameworks) certify more often.
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
import { type Maturity, type Segment, type TableSpec, clamp, zeroPad } from './dataset.js';
import type { FrameworkRow } from './frameworks.js';
import { type Rng, rngFor } from './prng.js';
import { PROJECT_START_SEASON, seasonalDay } from './seasonality.js';
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

/** Chance that a finished adoption is certified, rising with its audit score. */
export function certificationChance(auditScore: number): number {
  return clamp(0.3 + 0.03 * (auditScore - 80), 0.05, 0.85);
}

/** A day in [lo, hi] in the project season, or NaN when the range is empty. */
function seasonalStart(rng: Rng, lo: number, hi: number): number {
  return hi >= lo ? seasonalDay(rng, lo, hi, PROJECT_START_SEASON) : Number.NaN;
}

/** Days SOC2 Type II starts after Type I, at least and at most. */
const TYPE_II_GAP_DAYS: readonly [number, number] = [30, 150];

/**
 * Start day of one framework, or NaN when it cannot start inside the window: `latest` is the last day it may
 * start (the window's end, or for a churned customer the last day that still finishes before the churn).
 */
function startDay(
  rng: Rng,
  c: CustomerRow,
  f: FrameworkRow,
  w: ServiceWindow,
  latest: number,
  typeIStart: number | null,
): number {
  if (f.framework_name === 'SOC2_Type_II') {
    if (typeIStart === null) return Number.NaN;
    const [gLo, gHi] = TYPE_II_GAP_DAYS;
    return seasonalStart(rng, typeIStart + gLo, Math.min(typeIStart + gHi, latest));
  }
  const signup = dayFromIso(c.signup_date);
  const [oLo, oHi] = START_OFFSET_DAYS[c.compliance_maturity];
  const start = Math.max(w.startDay, seasonalDay(rng, signup + oLo, signup + oHi, PROJECT_START_SEASON));
  return start <= latest ? start : seasonalStart(rng, w.startDay, latest);
}

function customerAdoptions(c: CustomerRow, index: number, w: ServiceWindow, chosen: readonly FrameworkRow[]): Drafted[] {
  // One stream per customer and framework: adding or dropping a framework leaves the others' draws as they were.
  const plans = chosen.map((f) => {
    const rng = rngFor(`adoptions/${c.customer_id}/${f.framework_name}`);
    const duration = plannedDuration(rng, c, f);
    // A churned customer must have finished before leaving; everyone else may still be implementing.
    return { f, rng, duration, latest: w.churned ? w.endDay - duration : w.endDay };
  });
  const typeII = plans.find((p) => p.f.framework_name === 'SOC2_Type_II');
  const drafted: Drafted[] = [];
  let typeIStart: number | null = null;
  for (const { f, rng, duration, latest } of plans) {
    // Type I starts early enough to leave Type II its 30 days, when the window has room for both.
    const room = typeII ? typeII.latest - TYPE_II_GAP_DAYS[0] : Number.POSITIVE_INFINITY;
    const last = f.framework_name === 'SOC2_Type_I' && room >= w.startDay ? Math.min(latest, room) : latest;
    const start = startDay(rng, c, f, w, last, typeIStart);
    if (Number.isNaN(start)) continue;
    if (f.framework_name === 'SOC2_Type_I') typeIStart = start;
    const result = outcome(rng, c, f);
    const planned = start + duration;
    const finished = planned <= w.endDay;
    const certified = finished && rng.chance(certificationChance(result.audit_score));
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
  choices: readonly (readonly FrameworkRow[])[],
): AdoptionPlan[] {
  const drafted = customers.flatMap((c, i) => customerAdoptions(c, i, windows[i] as ServiceWindow, choices[i] ?? []));
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
