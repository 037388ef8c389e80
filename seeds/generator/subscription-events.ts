// fact_subscription_events: each customer's contract history, from the first `new` to 2024-12-31.
//
// Rules (the ledger semantics the revenue models rely on):
// - mrr_amount is ALWAYS monthly recurring revenue in USD after discount, whatever the billing period;
//   billing_period only sets the invoicing cadence. So a customer's MRR on a date is the mrr_amount of their
//   latest event on or before that date, and 0 once that event is `churn` (churn rows carry mrr_amount 0.00).
//   ARR on a date = 12 x the sum of those MRRs; never sum event amounts over time.
// - Every non-churn event starts a contract of contract_length_months (12, 24 or 36). Its end is
//   event_date + contract_length_months (same day of month, clamped to the month's end).
// - A contract ending on or before 2024-12-31 is followed, exactly on its end date, by a `renewal`, an
//   `expansion`, a `downgrade` or a `churn`; an `expansion` may also come mid-contract (at least 180 days in and
//   30 days before the end) and then starts a new contract. So no contract silently lapses, and a customer
//   whose last event is not `churn` holds a contract in force on 2024-12-31.
// - The first event is `new`, 0-30 days after signup (never after 2024-12-31). `churn` is always the last
//   event, dated at a contract end. A customer's event dates strictly increase (one event per day at most).
// - Tier at `new` by segment (exact quotas): startup starter 70 / professional 30 %, mid-market professional
//   60 / enterprise 40 %, enterprise enterprise 70 / enterprise_plus 30 %; within a segment the higher tier
//   goes to the customers with more frameworks (ranked by framework count + 0-3 noise). First MRR: a list price
//   in $10 steps, 6 % of the tier band up per framework beyond the first plus 0-60 % of the band (skewed low),
//   net of discount: compliance platforms price by framework, so ARR rises with the frameworks a customer runs.
// - At a contract end (startup / mid-market / enterprise): churn 26 / 15 / 8 %, downgrade 10 / 5 / 1 %,
//   expansion 10 / 15 / 14 %, otherwise renewal (001: renewal more likely for enterprise, less for startup).
//   Churn x1.3 beginner, x0.6 advanced, then x0.5 for each framework held that requires an annual audit (SOC2
//   Type II, ISO 27001, PCI DSS, FedRAMP: a yearly audit keeps a customer on the platform) and x0.85 for each
//   other one besides SOC2 Type I, the entry product; so retention differs by framework and rises with their
//   number. Expansion x0.8 beginner, x1.3 advanced, then x(0.1 + 0.3 per framework held): customers with more
//   frameworks expand more. An infeasible expansion or downgrade renews instead. A mid-contract upsell happens
//   in 20 / 30 / 35 % of contracts times the same expansion factors; an enterprise upsell's day follows the
//   enterprise deal season (seasonality.ts). Renewals keep the term 60 % and the billing period 75 % of the time.
// - MRR moves: renewal x1.00-1.10 (capped at the tier's band top), expansion x1.2-3.0 (capped at the
//   segment's ceiling: $3,000 startup, $15,000 mid-market, $50,000 enterprise), downgrade x0.5-0.8 (floored
//   at $200). After an expansion or downgrade the tier is the band holding the new MRR. Every non-churn row's
//   mrr_amount lies in its product_tier's band.
// - Discounts: monthly 0, quarterly 0-1 %, annual 2-4 %, upfront 3-5 %, plus 1-2 % for 24/36-month terms,
//   capped at 5 %; in 0.5 % steps. list MRR = mrr_amount / (1 - discount_percentage / 100).
//   Upfront billing (the whole term paid at signature) only occurs on 24/36-month contracts.
// - Churn rows: mrr_amount 0.00; contract_length_months and discount_percentage NULL (no new contract);
//   product_tier, billing_period, sales_channel and payment_method describe the subscription that was lost.
// - sales_channel and payment_method belong to the customer (dealt per segment as exact quotas) and repeat
//   on each of their events.

import { addMonths, dayFromIso, isoDate } from './calendar.js';
import type { CustomerRow } from './customers.js';
import {
  AS_OF_DAY,
  PRODUCT_TIERS,
  type ProductTier,
  SEGMENTS,
  type Segment,
  type TableSpec,
  TIER_MRR_BAND,
  cents,
  clamp,
  zeroPad,
} from './dataset.js';
import { type Engagement, engagementOf } from './engagement.js';
import type { FrameworkRow } from './frameworks.js';
import { type Rng, type Weighted, quotaAssign, quotaCounts, rngFor } from './prng.js';
import { ENTERPRISE_DEAL_SEASON, seasonalDay } from './seasonality.js';

export type EventType = 'new' | 'renewal' | 'expansion' | 'downgrade' | 'churn';
export type BillingPeriod = 'monthly' | 'quarterly' | 'annual' | 'upfront';
export type SalesChannel = 'self_serve' | 'inside_sales' | 'field_sales' | 'partner';
export type PaymentMethod = 'credit_card' | 'ach' | 'wire_transfer' | 'invoice';

export type SubscriptionEventRow = {
  readonly event_id: string;
  readonly customer_id: string;
  readonly event_date: string;
  readonly event_type: EventType;
  readonly product_tier: ProductTier;
  readonly mrr_amount: number;
  readonly billing_period: BillingPeriod;
  readonly contract_length_months: number | null;
  readonly discount_percentage: number | null;
  readonly sales_channel: SalesChannel;
  readonly payment_method: PaymentMethod;
};

export const SUBSCRIPTION_EVENTS_TABLE: TableSpec = {
  name: 'fact_subscription_events',
  description:
    'Subscription ledger: mrr_amount is monthly recurring revenue net of discount (0 on churn); ' +
    'MRR on a date = mrr_amount of the latest event on or before it.',
  gzip: true,
  columns: [
    { name: 'event_id', kind: 'varchar' },
    { name: 'customer_id', kind: 'varchar' },
    { name: 'event_date', kind: 'date' },
    { name: 'event_type', kind: 'varchar' },
    { name: 'product_tier', kind: 'varchar' },
    { name: 'mrr_amount', kind: 'money' },
    { name: 'billing_period', kind: 'varchar' },
    { name: 'contract_length_months', kind: 'integer' },
    { name: 'discount_percentage', kind: 'percent' },
    { name: 'sales_channel', kind: 'varchar' },
    { name: 'payment_method', kind: 'varchar' },
  ],
};

/** When a customer is on the platform: from the `new` event to the churn date (or the as-of date). */
export interface ServiceWindow {
  readonly startDay: number;
  readonly endDay: number;
  readonly churned: boolean;
}

export const INITIAL_TIER_MIX: Readonly<Record<Segment, Weighted<ProductTier>>> = {
  startup: [['starter', 70], ['professional', 30]],
  mid_market: [['professional', 60], ['enterprise', 40]],
  enterprise: [['enterprise', 70], ['enterprise_plus', 30]],
};

export const SALES_CHANNEL_MIX: Readonly<Record<Segment, Weighted<SalesChannel>>> = {
  startup: [['self_serve', 80], ['inside_sales', 20]],
  mid_market: [['self_serve', 30], ['inside_sales', 60], ['field_sales', 10]],
  enterprise: [['inside_sales', 30], ['field_sales', 65], ['partner', 5]],
};

export const PAYMENT_METHOD_MIX: Readonly<Record<Segment, Weighted<PaymentMethod>>> = {
  startup: [['credit_card', 90], ['ach', 10]],
  mid_market: [['credit_card', 60], ['ach', 30], ['invoice', 10]],
  enterprise: [['credit_card', 20], ['ach', 30], ['wire_transfer', 20], ['invoice', 30]],
};

export const CONTRACT_LENGTH_MIX: Readonly<Record<Segment, Weighted<number>>> = {
  startup: [[12, 85], [24, 13], [36, 2]],
  mid_market: [[12, 60], [24, 34], [36, 6]],
  enterprise: [[12, 35], [24, 45], [36, 20]],
};

/** Upfront weight applies to 24/36-month terms only. */
export const BILLING_MIX: Readonly<Record<Segment, Weighted<BillingPeriod>>> = {
  startup: [['monthly', 45], ['quarterly', 35], ['annual', 20], ['upfront', 0]],
  mid_market: [['monthly', 15], ['quarterly', 40], ['annual', 35], ['upfront', 15]],
  enterprise: [['monthly', 5], ['quarterly', 25], ['annual', 40], ['upfront', 40]],
};

/** Outcome probabilities at a contract end, before the maturity and framework factors; the rest renew. */
const END_OUTCOME: Readonly<Record<Segment, { churn: number; downgrade: number; expansion: number }>> = {
  startup: { churn: 0.26, downgrade: 0.1, expansion: 0.1 },
  mid_market: { churn: 0.15, downgrade: 0.05, expansion: 0.15 },
  enterprise: { churn: 0.08, downgrade: 0.01, expansion: 0.14 },
};
/** Chance of an upsell during a contract. */
const MID_CONTRACT_EXPANSION: Readonly<Record<Segment, number>> = { startup: 0.2, mid_market: 0.3, enterprise: 0.35 };
/** Rank noise when the higher starting tier goes to the customers with more frameworks. */
const TIER_RANK_NOISE = 3;
/** Share of the tier band a list price moves up per framework beyond the first. */
const PRICE_STEP_PER_FRAMEWORK = 0.06;
/** Highest MRR an expansion can reach per segment (top of professional, enterprise, enterprise_plus). */
export const SEGMENT_MRR_CEILING: Readonly<Record<Segment, number>> = {
  startup: TIER_MRR_BAND.professional[1],
  mid_market: TIER_MRR_BAND.enterprise[1],
  enterprise: TIER_MRR_BAND.enterprise_plus[1],
};
const MRR_FLOOR = TIER_MRR_BAND.starter[0];

/** The highest tier whose band starts at or below the amount. */
export function tierOfMrr(mrr: number): ProductTier {
  let tier: ProductTier = 'starter';
  for (const t of PRODUCT_TIERS) if (TIER_MRR_BAND[t][0] <= mrr) tier = t;
  return tier;
}

interface Terms {
  readonly months: number;
  readonly billing: BillingPeriod;
  readonly discount: number;
}

interface Draft {
  readonly day: number;
  readonly type: EventType;
  readonly tier: ProductTier;
  readonly mrr: number;
  readonly terms: Terms | null;
  readonly billing: BillingPeriod;
}

function drawTerms(rng: Rng, segment: Segment, previous: Terms | null): Terms {
  const months = previous && rng.chance(0.6) ? previous.months : rng.weighted(CONTRACT_LENGTH_MIX[segment]);
  const allowed = BILLING_MIX[segment].filter(([b]) => b !== 'upfront' || months >= 24);
  const keep = previous && rng.chance(0.75) && allowed.some(([b, w]) => b === previous.billing && w > 0);
  const billing = keep && previous ? previous.billing : rng.weighted(allowed);
  let discount =
    billing === 'monthly' ? 0
    : billing === 'quarterly' ? rng.int(0, 2) * 0.5
    : billing === 'annual' ? rng.int(4, 8) * 0.5
    : rng.int(6, 10) * 0.5;
  if (months >= 24) discount += rng.int(2, 4) * 0.5;
  return { months, billing, discount: Math.min(5, discount) };
}

/**
 * First MRR: a list price in $10 steps, PRICE_STEP_PER_FRAMEWORK of the band up per framework beyond the first
 * plus a draw skewed toward the low end, net of discount inside the band.
 */
function initialMrr(rng: Rng, tier: ProductTier, discount: number, frameworks: number): number {
  const [lo, hi] = TIER_MRR_BAND[tier];
  const keep = 1 - discount / 100;
  const listLo = Math.ceil(lo / keep / 10) * 10;
  const steps = Math.floor((hi - listLo) / 10);
  const position = PRICE_STEP_PER_FRAMEWORK * (frameworks - 1) + 0.6 * Math.min(rng.float(), rng.float());
  const list = listLo + 10 * Math.min(steps, Math.floor(position * (steps + 1)));
  return clamp(cents(list * keep), lo, hi);
}

function canExpand(mrr: number, segment: Segment): boolean {
  return mrr * 1.2 <= SEGMENT_MRR_CEILING[segment];
}

function expand(rng: Rng, mrr: number, tier: ProductTier, segment: Segment): { mrr: number; tier: ProductTier } {
  const ceiling = SEGMENT_MRR_CEILING[segment];
  const next = Math.min(ceiling, cents(mrr * rng.uniform(1.2, Math.min(3, ceiling / mrr))));
  const banded = tierOfMrr(next);
  return { mrr: next, tier: PRODUCT_TIERS.indexOf(banded) > PRODUCT_TIERS.indexOf(tier) ? banded : tier };
}

function canDowngrade(mrr: number): boolean {
  return mrr * 0.8 >= MRR_FLOOR;
}

function downgrade(rng: Rng, mrr: number, tier: ProductTier): { mrr: number; tier: ProductTier } {
  const next = Math.max(MRR_FLOOR, cents(mrr * rng.uniform(Math.max(0.5, MRR_FLOOR / mrr), 0.8)));
  const banded = tierOfMrr(next);
  return { mrr: next, tier: PRODUCT_TIERS.indexOf(banded) < PRODUCT_TIERS.indexOf(tier) ? banded : tier };
}

function renew(rng: Rng, mrr: number, tier: ProductTier): number {
  return Math.min(TIER_MRR_BAND[tier][1], cents(mrr * rng.uniform(1, 1.1)));
}

function endOutcome(rng: Rng, c: CustomerRow, e: Engagement, mrr: number): EventType {
  const base = END_OUTCOME[c.segment];
  const churn = base.churn * e.churnFactor;
  const expansion = base.expansion * e.expansionFactor;
  const x = rng.float();
  if (x < churn) return 'churn';
  if (x < churn + base.downgrade) return canDowngrade(mrr) ? 'downgrade' : 'renewal';
  if (x < churn + base.downgrade + expansion) return canExpand(mrr, c.segment) ? 'expansion' : 'renewal';
  return 'renewal';
}

/** One customer's events in date order. */
function customerHistory(c: CustomerRow, e: Engagement, firstTier: ProductTier, rng: Rng): Draft[] {
  const signup = dayFromIso(c.signup_date);
  const startDay = signup + rng.int(0, Math.min(30, AS_OF_DAY - signup));
  let terms = drawTerms(rng, c.segment, null);
  let tier = firstTier;
  let mrr = initialMrr(rng, tier, terms.discount, e.frameworks);
  const drafts: Draft[] = [{ day: startDay, type: 'new', tier, mrr, terms, billing: terms.billing }];
  let contractStart = startDay;

  for (;;) {
    const end = addMonths(contractStart, terms.months);
    const upsellChance = MID_CONTRACT_EXPANSION[c.segment] * e.expansionFactor;
    if (rng.chance(upsellChance) && canExpand(mrr, c.segment)) {
      const day =
        c.segment === 'enterprise'
          ? seasonalDay(rng, contractStart + 180, end - 30, ENTERPRISE_DEAL_SEASON)
          : contractStart + rng.int(180, end - contractStart - 30);
      if (day <= AS_OF_DAY) {
        ({ mrr, tier } = expand(rng, mrr, tier, c.segment));
        terms = drawTerms(rng, c.segment, terms);
        drafts.push({ day, type: 'expansion', tier, mrr, terms, billing: terms.billing });
        contractStart = day;
        continue;
      }
    }
    if (end > AS_OF_DAY) break;
    const type = endOutcome(rng, c, e, mrr);
    if (type === 'churn') {
      drafts.push({ day: end, type, tier, mrr: 0, terms: null, billing: terms.billing });
      break;
    }
    if (type === 'expansion') ({ mrr, tier } = expand(rng, mrr, tier, c.segment));
    else if (type === 'downgrade') ({ mrr, tier } = downgrade(rng, mrr, tier));
    else mrr = renew(rng, mrr, tier);
    terms = drawTerms(rng, c.segment, terms);
    drafts.push({ day: end, type, tier, mrr, terms, billing: terms.billing });
    contractStart = end;
  }
  return drafts;
}

/** Deals a per-segment quota of values to the customers of each segment, in customer order. */
function dealBySegment<T>(
  customers: readonly CustomerRow[],
  mixes: Readonly<Record<Segment, Weighted<T>>>,
  label: string,
): T[] {
  const out: T[] = new Array<T>(customers.length);
  for (const segment of ['startup', 'mid_market', 'enterprise'] as const) {
    const members = customers.flatMap((c, i) => (c.segment === segment ? [i] : []));
    const values = quotaAssign(rngFor(`${label}/${segment}`), members.length, mixes[segment]);
    members.forEach((i, k) => {
      out[i] = values[k] as T;
    });
  }
  return out;
}

export interface SubscriptionHistory {
  readonly rows: SubscriptionEventRow[];
  /** Aligned with the customers array. */
  readonly windows: ServiceWindow[];
}

/**
 * Deals each segment's starting tiers in exact quotas, lowest tier to the customers with the fewest frameworks
 * (framework count plus 0-TIER_RANK_NOISE noise, so the order is a tendency, not a rule).
 */
function dealTiers(customers: readonly CustomerRow[], engagement: readonly Engagement[]): ProductTier[] {
  const out = new Array<ProductTier>(customers.length);
  for (const segment of SEGMENTS) {
    const rng = rngFor(`events/tier/${segment}`);
    const ranked = customers
      .flatMap((c, i) => (c.segment === segment ? [i] : []))
      .map((i) => ({ i, score: (engagement[i]?.frameworks ?? 0) + rng.uniform(0, TIER_RANK_NOISE) }))
      .sort((p, q) => p.score - q.score || p.i - q.i);
    const mix = INITIAL_TIER_MIX[segment];
    const counts = quotaCounts(ranked.length, mix);
    let k = 0;
    mix.forEach(([tier], t) => {
      for (let n = 0; n < (counts[t] ?? 0); n++) out[(ranked[k++] as { i: number }).i] = tier;
    });
  }
  return out;
}

export function generateSubscriptionEvents(
  customers: readonly CustomerRow[],
  choices: readonly (readonly FrameworkRow[])[],
): SubscriptionHistory {
  const engagement = customers.map((c, i) => engagementOf(c, choices[i] ?? []));
  const tiers = dealTiers(customers, engagement);
  const channels = dealBySegment(customers, SALES_CHANNEL_MIX, 'events/channel');
  const payments = dealBySegment(customers, PAYMENT_METHOD_MIX, 'events/payment');

  const keyed: { day: number; customer: number; seq: number; row: Omit<SubscriptionEventRow, 'event_id'> }[] = [];
  const windows = customers.map((c, i) => {
    const e = engagement[i] as Engagement;
    const drafts = customerHistory(c, e, tiers[i] as ProductTier, rngFor(`events/${c.customer_id}`));
    drafts.forEach((d, seq) => {
      keyed.push({
        day: d.day,
        customer: i,
        seq,
        row: {
          customer_id: c.customer_id,
          event_date: isoDate(d.day),
          event_type: d.type,
          product_tier: d.tier,
          mrr_amount: d.mrr,
          billing_period: d.billing,
          contract_length_months: d.terms ? d.terms.months : null,
          discount_percentage: d.terms ? d.terms.discount : null,
          sales_channel: channels[i] as SalesChannel,
          payment_method: payments[i] as PaymentMethod,
        },
      });
    });
    const first = drafts[0] as Draft;
    const last = drafts[drafts.length - 1] as Draft;
    const churned = last.type === 'churn';
    return { startDay: first.day, endDay: churned ? last.day : AS_OF_DAY, churned };
  });

  keyed.sort((p, q) => p.day - q.day || p.customer - q.customer || p.seq - q.seq);
  const rows = keyed.map((k, n) => ({ event_id: `EVT-${zeroPad(n + 1, 5)}`, ...k.row }));
  return { rows, windows };
}
