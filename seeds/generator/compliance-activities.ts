// fact_compliance_activities: 100,000 granular compliance work events inside the adoptions' windows.
//
// Rules:
// - Window of an adoption: start_date to completion_date + 90 days (post-completion monitoring), or to the
//   as-of date while it is active, and never after the customer's churn date or 2024-12-31.
// - Volume: exactly ACTIVITY_TOTAL rows. Each adoption gets 2, plus a share of the rest proportional to
//   window days x segment (startup 0.8, mid-market 1.0, enterprise 1.4) x (0.7 + 0.05 x complexity).
// - Type mix 50 / 20 / 15 / 10 / 5 % (control_check / questionnaire / remediation / training / audit):
//   15 % of an adoption's activities are remediations. Each failed activity triggers a remediation of the
//   same control category 1-7 days later (while remediations remain and the window allows); the rest are
//   scheduled in weeks 6-12.
// - Timing: training in the first two weeks, questionnaires in weeks 3-8, control checks intensifying toward
//   completion plus post-completion monitoring, audits in the last 30 days before completion (and a Q4 rush:
//   audits outside October-December are accepted 60 % of the time), never on New Year's Day, July 4th,
//   Thanksgiving or Christmas. Manual work avoids weekends (85 % of weekend draws are redrawn); automated runs
//   any day.
// - Control category 25 / 25 / 20 / 20 / 10 % (access_control / data_protection / network_security /
//   monitoring / incident_response), each framework's focus categories weighted x1.3 (SOC2: access and
//   monitoring; HIPAA: data and access; PCI DSS: network and data; GDPR: data and incident; FedRAMP:
//   monitoring and network; NIST CSF: incident; ISO 27001 balanced).
// - automated_flag: audits and training are always manual; the other types are automated with probability
//   framework automation_percentage + 15 (advanced), + 0 (intermediate), - 10 (beginner) points.
// - duration_minutes (integer): control_check 5-30 automated / 30-120 manual; questionnaire 10-45 / 60-240;
//   remediation 30-90 / 120-480; audit 240-480; training 60-180.
// - risk_level 40 / 35 / 20 / 5 % (low / medium / high / critical), drawn first; success then depends on it,
//   so failures skew toward high and critical.
// - success_flag: base 92.5 % (advanced), 87.5 % (intermediate), 80 % (beginner); automated +7 points;
//   risk low +3, medium 0, high -4, critical -10 points; at most 99 %.
// - evidence_collected: control_check 95 %, questionnaire 85 %, audit 100 %, remediation 90 %, training 60 %.

import { isMajorUsHoliday, isWeekend, isoDate, monthOf } from './calendar.js';
import { type Maturity, type Segment, type TableSpec, clamp, zeroPad } from './dataset.js';
import type { AdoptionPlan } from './framework-adoptions.js';
import type { FrameworkName } from './frameworks.js';
import { type Rng, type Weighted, quotaCounts, rngFor } from './prng.js';

export const ACTIVITY_TOTAL = 100_000;
const MIN_PER_ADOPTION = 2;
const POST_COMPLETION_DAYS = 90;
export const REMEDIATION_SHARE = 0.15;

export type ActivityType = 'control_check' | 'questionnaire' | 'audit' | 'remediation' | 'training';
export type ControlCategory = 'access_control' | 'data_protection' | 'network_security' | 'monitoring' | 'incident_response';
export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

export type ComplianceActivityRow = {
  readonly activity_id: string;
  readonly customer_id: string;
  readonly framework_id: number;
  readonly adoption_id: string;
  readonly activity_date: string;
  readonly activity_type: ActivityType;
  readonly control_category: ControlCategory;
  readonly automated_flag: boolean;
  readonly duration_minutes: number;
  readonly success_flag: boolean;
  readonly risk_level: RiskLevel;
  readonly evidence_collected: boolean;
};

export const COMPLIANCE_ACTIVITIES_TABLE: TableSpec = {
  name: 'fact_compliance_activities',
  description: 'Compliance work events, each inside its adoption window (start to completion + 90 days).',
  gzip: true,
  columns: [
    { name: 'activity_id', kind: 'varchar' },
    { name: 'customer_id', kind: 'varchar' },
    { name: 'framework_id', kind: 'integer' },
    { name: 'adoption_id', kind: 'varchar' },
    { name: 'activity_date', kind: 'date' },
    { name: 'activity_type', kind: 'varchar' },
    { name: 'control_category', kind: 'varchar' },
    { name: 'automated_flag', kind: 'boolean' },
    { name: 'duration_minutes', kind: 'integer' },
    { name: 'success_flag', kind: 'boolean' },
    { name: 'risk_level', kind: 'varchar' },
    { name: 'evidence_collected', kind: 'boolean' },
  ],
};

/** Non-remediation types; remediations are added as 15 % of each adoption's activities. */
const PRIMARY_TYPE_MIX: Weighted<ActivityType> = [
  ['control_check', 50],
  ['questionnaire', 20],
  ['training', 10],
  ['audit', 5],
];
const CATEGORY_BASE: Weighted<ControlCategory> = [
  ['access_control', 25],
  ['data_protection', 25],
  ['network_security', 20],
  ['monitoring', 20],
  ['incident_response', 10],
];
const CATEGORY_FOCUS: Readonly<Record<FrameworkName, readonly ControlCategory[]>> = {
  SOC2_Type_I: ['access_control', 'monitoring'],
  SOC2_Type_II: ['access_control', 'monitoring'],
  ISO27001: [],
  HIPAA: ['data_protection', 'access_control'],
  GDPR: ['data_protection', 'incident_response'],
  PCI_DSS: ['network_security', 'data_protection'],
  FedRAMP: ['monitoring', 'network_security'],
  NIST_CSF: ['incident_response'],
};
const FOCUS_WEIGHT = 1.3;
const RISK_MIX: Weighted<RiskLevel> = [
  ['low', 40],
  ['medium', 35],
  ['high', 20],
  ['critical', 5],
];

export const AUTOMATION_ADJUSTMENT: Readonly<Record<Maturity, number>> = { advanced: 15, intermediate: 0, beginner: -10 };
export const ALWAYS_MANUAL: readonly ActivityType[] = ['audit', 'training'];
export const DURATION_RANGE: Readonly<Record<ActivityType, { automated: readonly [number, number]; manual: readonly [number, number] }>> = {
  control_check: { automated: [5, 30], manual: [30, 120] },
  questionnaire: { automated: [10, 45], manual: [60, 240] },
  remediation: { automated: [30, 90], manual: [120, 480] },
  audit: { automated: [240, 480], manual: [240, 480] },
  training: { automated: [60, 180], manual: [60, 180] },
};
export const SUCCESS_BASE: Readonly<Record<Maturity, number>> = { advanced: 0.925, intermediate: 0.875, beginner: 0.8 };
const AUTOMATED_SUCCESS_BONUS = 0.07;
const RISK_SUCCESS_ADJUSTMENT: Readonly<Record<RiskLevel, number>> = { low: 0.03, medium: 0, high: -0.04, critical: -0.1 };
export const EVIDENCE_RATE: Readonly<Record<ActivityType, number>> = {
  control_check: 0.95,
  questionnaire: 0.85,
  audit: 1,
  remediation: 0.9,
  training: 0.6,
};
const VOLUME_BY_SEGMENT: Readonly<Record<Segment, number>> = { startup: 0.8, mid_market: 1, enterprise: 1.4 };

interface Window {
  readonly start: number;
  /** Last day of implementation: the completion day, or the window end while active. */
  readonly implEnd: number;
  readonly end: number;
  readonly finished: boolean;
}

/** The days an adoption can have activities on, inclusive. */
export function activityWindow(plan: AdoptionPlan): Window {
  const end =
    plan.completionDay === null
      ? plan.serviceEndDay
      : Math.min(plan.completionDay + POST_COMPLETION_DAYS, plan.serviceEndDay);
  return { start: plan.startDay, implEnd: plan.completionDay ?? end, end, finished: plan.completionDay !== null };
}

interface Draft {
  readonly day: number;
  readonly type: ActivityType;
  readonly category: ControlCategory;
  readonly automated: boolean;
  readonly duration: number;
  readonly success: boolean;
  readonly risk: RiskLevel;
  readonly evidence: boolean;
}

function between(rng: Rng, lo: number, hi: number): number {
  return hi < lo ? lo : rng.int(lo, hi);
}

/** A day in [lo, hi] with density rising toward hi (max of two uniforms). */
function rising(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(Math.max(rng.float(), rng.float()) * (hi - lo + 1));
}

function proposeDay(rng: Rng, type: ActivityType, w: Window): number {
  switch (type) {
    case 'training':
      return rng.chance(0.7) ? between(rng, w.start, Math.min(w.start + 13, w.implEnd)) : between(rng, w.start, w.end);
    case 'control_check':
      return w.end > w.implEnd && rng.chance(0.25) ? between(rng, w.implEnd + 1, w.end) : rising(rng, w.start, w.implEnd);
    case 'questionnaire':
      return rng.chance(0.6) && w.start + 14 <= w.implEnd
        ? between(rng, w.start + 14, Math.min(w.start + 55, w.implEnd))
        : between(rng, w.start, w.end);
    case 'audit':
      if (!w.finished) return between(rng, w.start + Math.floor((w.implEnd - w.start) / 2), w.implEnd);
      return rng.chance(0.8) ? between(rng, Math.max(w.start, w.implEnd - 29), w.implEnd) : between(rng, w.start, w.end);
    case 'remediation':
      return rng.chance(0.6) && w.start + 35 <= w.implEnd
        ? between(rng, w.start + 35, Math.min(w.start + 83, w.implEnd))
        : between(rng, w.start, w.end);
  }
}

function acceptableDay(rng: Rng, type: ActivityType, automated: boolean, day: number): boolean {
  if (type === 'audit' && isMajorUsHoliday(day)) return false;
  if (!automated && isWeekend(day) && !rng.chance(0.15)) return false;
  if (type === 'audit' && monthOf(day) < 10 && !rng.chance(0.6)) return false;
  return true;
}

function scheduledDay(rng: Rng, type: ActivityType, automated: boolean, w: Window): number {
  let day = proposeDay(rng, type, w);
  for (let attempt = 1; attempt < 12 && !acceptableDay(rng, type, automated, day); attempt++) {
    day = proposeDay(rng, type, w);
  }
  // The weekend and season rules may give way after the last try; the holiday rule for audits never does
  // (no two of the holidays are adjacent, so the next or previous day is not one).
  if (type === 'audit' && isMajorUsHoliday(day)) return day + 1 <= w.end ? day + 1 : Math.max(w.start, day - 1);
  return day;
}

function categoryMix(framework: FrameworkName): Weighted<ControlCategory> {
  const focus = CATEGORY_FOCUS[framework];
  return CATEGORY_BASE.map(([c, weight]) => [c, focus.includes(c) ? weight * FOCUS_WEIGHT : weight] as const);
}

function activity(
  rng: Rng,
  plan: AdoptionPlan,
  type: ActivityType,
  category: ControlCategory,
  dayOf: (automated: boolean) => number,
): Draft {
  const maturity = plan.customer.compliance_maturity;
  const automationPct = clamp(plan.framework.automation_percentage + AUTOMATION_ADJUSTMENT[maturity], 0, 100);
  const automated = !ALWAYS_MANUAL.includes(type) && rng.chance(automationPct / 100);
  const day = dayOf(automated);
  const risk = rng.weighted(RISK_MIX);
  const successP = Math.min(
    0.99,
    SUCCESS_BASE[maturity] + (automated ? AUTOMATED_SUCCESS_BONUS : 0) + RISK_SUCCESS_ADJUSTMENT[risk],
  );
  const success = rng.chance(successP);
  const evidence = rng.chance(EVIDENCE_RATE[type]);
  const [dLo, dHi] = DURATION_RANGE[type][automated ? 'automated' : 'manual'];
  return { day, type, category, automated, duration: rng.int(dLo, dHi), success, risk, evidence };
}

function adoptionActivities(plan: AdoptionPlan, count: number, rng: Rng): Draft[] {
  const w = activityWindow(plan);
  const categories = categoryMix(plan.framework.framework_name);
  const remediations = Math.round(count * REMEDIATION_SHARE);
  const drafts: Draft[] = [];
  for (let k = 0; k < count - remediations; k++) {
    const type = rng.weighted(PRIMARY_TYPE_MIX);
    drafts.push(activity(rng, plan, type, rng.weighted(categories), (auto) => scheduledDay(rng, type, auto, w)));
  }
  const failures = drafts
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => !d.success)
    .sort((p, q) => p.d.day - q.d.day || p.i - q.i);
  let left = remediations;
  for (const { d: failed } of failures) {
    if (left === 0) break;
    if (failed.day + 1 > w.end) continue;
    const followUp = (automated: boolean): number => {
      let day = failed.day + rng.int(1, 7);
      for (let attempt = 1; attempt < 4 && !automated && isWeekend(day); attempt++) day = failed.day + rng.int(1, 7);
      return Math.min(day, w.end);
    };
    drafts.push(activity(rng, plan, 'remediation', failed.category, followUp));
    left--;
  }
  for (; left > 0; left--) {
    drafts.push(
      activity(rng, plan, 'remediation', rng.weighted(categories), (auto) => scheduledDay(rng, 'remediation', auto, w)),
    );
  }
  return drafts;
}

/** Activities per adoption: MIN_PER_ADOPTION each, the rest apportioned by weight (largest remainder). */
function activityCounts(plans: readonly AdoptionPlan[]): number[] {
  const weights = plans.map((p, i) => {
    const w = activityWindow(p);
    const weight = (w.end - w.start + 1) * VOLUME_BY_SEGMENT[p.customer.segment] * (0.7 + 0.05 * p.framework.complexity_score);
    return [i, weight] as const;
  });
  const extra = quotaCounts(ACTIVITY_TOTAL - MIN_PER_ADOPTION * plans.length, weights);
  return extra.map((n) => n + MIN_PER_ADOPTION);
}

export function generateComplianceActivities(plans: readonly AdoptionPlan[]): ComplianceActivityRow[] {
  const counts = activityCounts(plans);
  const keyed: { day: number; adoption: number; seq: number; draft: Draft }[] = [];
  plans.forEach((plan, a) => {
    const drafts = adoptionActivities(plan, counts[a] ?? MIN_PER_ADOPTION, rngFor(`activities/${plan.row.adoption_id}`));
    drafts.forEach((draft, seq) => keyed.push({ day: draft.day, adoption: a, seq, draft }));
  });
  keyed.sort((p, q) => p.day - q.day || p.adoption - q.adoption || p.seq - q.seq);
  return keyed.map(({ adoption, draft }, n) => {
    const plan = plans[adoption] as AdoptionPlan;
    return {
      activity_id: `ACT-${zeroPad(n + 1, 6)}`,
      customer_id: plan.row.customer_id,
      framework_id: plan.row.framework_id,
      adoption_id: plan.row.adoption_id,
      activity_date: isoDate(draft.day),
      activity_type: draft.type,
      control_category: draft.category,
      automated_flag: draft.automated,
      duration_minutes: draft.duration,
      success_flag: draft.success,
      risk_level: draft.risk,
      evidence_collected: draft.evidence,
    };
  });
}
