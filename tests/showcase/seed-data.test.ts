// The Phantom Sec seed data: distributions, business rules, referential and temporal integrity, determinism.
//
// Expectations are written out from the specification (001 with the corrections of 000) rather than imported
// from the generator, so a wrong constant in the generator fails here. Dates are checked with Date.UTC, not
// with the generator's own calendar.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { groupBy } from '../helpers/group-by.js';
import { generatePhantomSec, renderSeedFiles } from '../../seeds/generator/main.js';
import { phantomSec } from '../helpers/phantom-sec.js';

const data = phantomSec();
const { customers, frameworks, subscriptionEvents: events, adoptions, activities } = data;
const AS_OF = '2024-12-31';
const SEEDS_DIR = new URL('../../seeds/', import.meta.url);

// ---- helpers -------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
function day(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}
function iso(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}
/** Same day of month n months later, clamped to the month's last day. */
function addMonths(isoDate: string, n: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + n, Math.min(d, last))).toISOString().slice(0, 10);
}
function share<T>(rows: readonly T[], pred: (r: T) => boolean): number {
  return rows.filter(pred).length / rows.length;
}
function countBy<T>(rows: readonly T[], key: (r: T) => string | number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[String(key(r))] = (out[String(key(r))] ?? 0) + 1;
  return out;
}
function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
/** Asserts a list of rule violations is empty, showing the first few. */
function expectNone(violations: readonly unknown[]): void {
  expect(violations.slice(0, 5)).toEqual([]);
  expect(violations.length).toBe(0);
}

const customerById = new Map(customers.map((c) => [c.customer_id, c]));
const frameworkById = new Map(frameworks.map((f) => [f.framework_id, f]));
const adoptionById = new Map(adoptions.map((a) => [a.adoption_id, a]));
const eventsByCustomer = groupBy(events, (e) => e.customer_id);
for (const list of eventsByCustomer.values()) list.sort((a, b) => (a.event_date < b.event_date ? -1 : 1));
const customerOf = (id: string) => customerById.get(id)!;
const frameworkName = (id: number) => frameworkById.get(id)!.framework_name;
/** Last day on the platform: the churn date, or the as-of date. */
function serviceEnd(customerId: string): string {
  const list = eventsByCustomer.get(customerId) ?? [];
  const last = list[list.length - 1];
  return last?.event_type === 'churn' ? last.event_date : AS_OF;
}
/** MRR of a customer on a date: mrr_amount of the latest event on or before it (0 after churn). */
function mrrOn(customerId: string, date: string): number {
  let mrr = 0;
  for (const e of eventsByCustomer.get(customerId) ?? []) if (e.event_date <= date) mrr = e.mrr_amount;
  return mrr;
}

const SEGMENT_OF_TIER_AT_NEW: Record<string, readonly string[]> = {
  startup: ['starter', 'professional'],
  mid_market: ['professional', 'enterprise'],
  enterprise: ['enterprise', 'enterprise_plus'],
};
const TIER_BAND: Record<string, readonly [number, number]> = {
  starter: [200, 800],
  professional: [800, 3000],
  enterprise: [3000, 15000],
  enterprise_plus: [15000, 50000],
};
const TIER_RANK: Record<string, number> = { starter: 0, professional: 1, enterprise: 2, enterprise_plus: 3 };

// ---- dim_customers -------------------------------------------------------------------------------------

describe('dim_customers', () => {
  it('has 300 customers with unique ids, names and emails', () => {
    expect(customers).toHaveLength(300);
    expect(new Set(customers.map((c) => c.customer_id)).size).toBe(300);
    expect(new Set(customers.map((c) => c.company_name)).size).toBe(300);
    expect(new Set(customers.map((c) => c.primary_contact_email)).size).toBe(300);
  });

  it('splits segments 50 / 37.5 / 12.5 % exactly (150 / 113 / 37: 37.5 % of 300 is not whole)', () => {
    expect(countBy(customers, (c) => c.segment)).toEqual({ startup: 150, mid_market: 113, enterprise: 37 });
  });

  it('signs up over 2020-2024 with more customers each year than the year before', () => {
    const years = countBy(customers, (c) => c.signup_date.slice(0, 4));
    expect(Object.keys(years).sort()).toEqual(['2020', '2021', '2022', '2023', '2024']);
    const counts = ['2020', '2021', '2022', '2023', '2024'].map((y) => years[y] ?? 0);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(counts[i - 1]!);
    expectNone(customers.filter((c) => c.signup_date < '2020-01-01' || c.signup_date > AS_OF));
  });

  it('keeps employee counts and annual revenue inside the segment ranges (zero violations)', () => {
    const ranges = {
      startup: { emp: [1, 50], rev: [100_000, 5_000_000] },
      mid_market: { emp: [51, 500], rev: [5_000_000, 100_000_000] },
      enterprise: { emp: [501, 10_000], rev: [100_000_000, 1_000_000_000] },
    } as const;
    expectNone(
      customers.filter((c) => {
        const r = ranges[c.segment];
        return (
          !Number.isInteger(c.employee_count) ||
          c.employee_count < r.emp[0] || c.employee_count > r.emp[1] ||
          c.annual_revenue < r.rev[0] || c.annual_revenue > r.rev[1]
        );
      }),
    );
  });

  it('deals the industry mix 30/20/15/10/8/7/5/3/2 % exactly', () => {
    expect(countBy(customers, (c) => c.industry)).toEqual({
      saas: 90, fintech: 60, healthtech: 45, ecommerce: 30, edtech: 24, manufacturing: 21, logistics: 15, media: 9, other: 6,
    });
  });

  it('deals maturity 40/45/15 % and cloud 45/25/15/10/5 % exactly', () => {
    expect(countBy(customers, (c) => c.compliance_maturity)).toEqual({ beginner: 120, intermediate: 135, advanced: 45 });
    expect(countBy(customers, (c) => c.primary_cloud_provider)).toEqual({
      AWS: 135, Azure: 75, GCP: 45, 'Multi-cloud': 30, 'On-premise': 15,
    });
  });

  it('is USA-only, covers the specification states, and California leads', () => {
    expect(new Set(customers.map((c) => c.country))).toEqual(new Set(['USA']));
    const states = countBy(customers, (c) => c.state_province);
    for (const s of ['CA', 'NY', 'TX', 'FL', 'WA', 'IL', 'PA', 'OH', 'GA', 'NC']) expect(states[s]).toBeGreaterThan(0);
    expect(Math.max(...Object.values(states))).toBe(states.CA);
    expectNone(customers.filter((c) => !/^[A-Z]{2}$/.test(c.state_province)));
  });

  it('has fake contact PII: example.com emails and fictional 555-01XX phones', () => {
    expectNone(
      customers.filter(
        (c) =>
          !/^[a-z]+\.[a-z]+@[a-z]+\.example\.com$/.test(c.primary_contact_email) ||
          !/^\+1-\d{3}-555-01\d{2}$/.test(c.primary_contact_phone) ||
          !/^\S+ \S+$/.test(c.primary_contact_name),
      ),
    );
  });
});

// ---- dim_compliance_frameworks -------------------------------------------------------------------------

describe('dim_compliance_frameworks', () => {
  it('holds exactly the 8 reference rows of the specification', () => {
    const spec = [
      [1, 'SOC2_Type_I', 'security_audit', 4, 90, 'all_industries', 'global', 75, false, 25000],
      [2, 'SOC2_Type_II', 'security_audit', 7, 180, 'all_industries', 'global', 65, true, 45000],
      [3, 'ISO27001', 'security_management', 8, 240, 'all_industries', 'global', 60, true, 35000],
      [4, 'HIPAA', 'healthcare_privacy', 6, 150, 'healthtech', 'usa', 70, false, 15000],
      [5, 'GDPR', 'data_privacy', 7, 120, 'all_industries', 'eu_global', 55, false, 20000],
      [6, 'PCI_DSS', 'payment_security', 5, 90, 'ecommerce_fintech', 'global', 80, true, 30000],
      [7, 'FedRAMP', 'government_cloud', 9, 365, 'government_contractors', 'usa', 45, true, 150000],
      [8, 'NIST_CSF', 'cybersecurity_framework', 6, 180, 'all_industries', 'usa_global', 70, false, 25000],
    ];
    expect(
      frameworks.map((f) => [
        f.framework_id, f.framework_name, f.framework_category, f.complexity_score, f.avg_completion_days,
        f.industry_relevance, f.geographic_scope, f.automation_percentage, f.annual_audit_required,
        f.certification_cost_usd,
      ]),
    ).toEqual(spec);
  });
});

// ---- fact_subscription_events --------------------------------------------------------------------------

describe('fact_subscription_events', () => {
  const live = events.filter((e) => e.event_type !== 'churn');

  it('has about 800 events (700-850) with unique ids, every customer starting with one `new`', () => {
    expect(events.length).toBeGreaterThanOrEqual(700);
    expect(events.length).toBeLessThanOrEqual(850);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    expect(events.filter((e) => e.event_type === 'new')).toHaveLength(300);
    expect(new Set(Object.keys(countBy(events, (e) => e.event_type)))).toEqual(
      new Set(['new', 'renewal', 'expansion', 'downgrade', 'churn']),
    );
  });

  it('uses 12/24/36-month contracts, discounts of at most 5 %, four billing periods (zero violations)', () => {
    expectNone(live.filter((e) => ![12, 24, 36].includes(e.contract_length_months ?? -1)));
    expectNone(live.filter((e) => e.discount_percentage === null || e.discount_percentage < 0 || e.discount_percentage > 5));
    expectNone(events.filter((e) => !['monthly', 'quarterly', 'annual', 'upfront'].includes(e.billing_period)));
    expectNone(live.filter((e) => e.billing_period === 'upfront' && (e.contract_length_months ?? 0) < 24));
    // Billing sets the base discount (monthly 0, quarterly 0-1, annual 2-4, upfront 3-5 %); 24/36 months add 1-2.
    expectNone(live.filter((e) => e.billing_period === 'monthly' && e.contract_length_months === 12 && e.discount_percentage !== 0));
    expectNone(live.filter((e) => (e.billing_period === 'annual' || e.billing_period === 'upfront') && e.discount_percentage! < 2));
    const lengths = countBy(live, (e) => e.contract_length_months ?? 0);
    expect(lengths['12']!).toBeGreaterThan(lengths['24']!);
    expect(lengths['24']!).toBeGreaterThan(lengths['36']!);
    const billing = countBy(live, (e) => e.billing_period);
    for (const b of ['monthly', 'quarterly', 'annual']) expect(billing[b]! / live.length).toBeGreaterThan(0.2);
    expect(billing.upfront! / live.length).toBeGreaterThan(0.01);
    expect(billing.upfront! / live.length).toBeLessThan(0.08);
  });

  it('starts customers on a tier of their segment (70/30, 60/40, 70/30, each within 1 customer)', () => {
    const news = events.filter((e) => e.event_type === 'new');
    expectNone(news.filter((e) => !SEGMENT_OF_TIER_AT_NEW[customerOf(e.customer_id).segment]!.includes(e.product_tier)));
    const tiers = countBy(news, (e) => `${customerOf(e.customer_id).segment}/${e.product_tier}`);
    const expected = {
      'startup/starter': 0.7 * 150, 'startup/professional': 0.3 * 150,
      'mid_market/professional': 0.6 * 113, 'mid_market/enterprise': 0.4 * 113,
      'enterprise/enterprise': 0.7 * 37, 'enterprise/enterprise_plus': 0.3 * 37,
    };
    for (const [k, v] of Object.entries(expected)) expect(Math.abs((tiers[k] ?? 0) - v)).toBeLessThanOrEqual(1);
  });

  it('keeps every mrr_amount inside its tier band, and churn rows at 0 with no contract terms', () => {
    expectNone(live.filter((e) => e.mrr_amount < TIER_BAND[e.product_tier]![0] || e.mrr_amount > TIER_BAND[e.product_tier]![1]));
    expectNone(
      events.filter(
        (e) => e.event_type === 'churn' && (e.mrr_amount !== 0 || e.contract_length_months !== null || e.discount_percentage !== null),
      ),
    );
    expectNone(events.filter((e) => Math.round(e.mrr_amount * 100) / 100 !== e.mrr_amount));
  });

  it('moves MRR by the spec: renewal x1.0-1.1 same tier, expansion x1.2-3.0 up, downgrade x0.5-0.8 down', () => {
    const violations: string[] = [];
    for (const list of eventsByCustomer.values()) {
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1]!;
        const e = list[i]!;
        const ratio = e.mrr_amount / prev.mrr_amount;
        const eps = 1e-4;
        const rank = TIER_RANK[e.product_tier]! - TIER_RANK[prev.product_tier]!;
        if (e.event_type === 'renewal' && (ratio < 1 - eps || ratio > 1.1 + eps || rank !== 0)) violations.push(e.event_id);
        if (e.event_type === 'expansion' && (ratio < 1.2 - eps || ratio > 3 + eps || rank < 0)) violations.push(e.event_id);
        if (e.event_type === 'downgrade' && (ratio < 0.5 - eps || ratio > 0.8 + eps || rank > 0)) violations.push(e.event_id);
        if (e.event_type === 'churn' && e.product_tier !== prev.product_tier) violations.push(e.event_id);
      }
    }
    expectNone(violations);
  });

  it('keeps sales channel and payment method per customer, from the segment lists', () => {
    const channels = {
      startup: ['self_serve', 'inside_sales'],
      mid_market: ['self_serve', 'inside_sales', 'field_sales'],
      enterprise: ['inside_sales', 'field_sales', 'partner'],
    };
    const payments = {
      startup: ['credit_card', 'ach'],
      mid_market: ['credit_card', 'ach', 'invoice'],
      enterprise: ['credit_card', 'ach', 'wire_transfer', 'invoice'],
    };
    expectNone(
      events.filter((e) => {
        const seg = customerOf(e.customer_id).segment;
        return !channels[seg].includes(e.sales_channel) || !payments[seg].includes(e.payment_method);
      }),
    );
    for (const list of eventsByCustomer.values()) {
      expect(new Set(list.map((e) => `${e.sales_channel}/${e.payment_method}`)).size).toBe(1);
    }
  });

  it('loses 5-15 % of customers to churn, fewer among enterprises than startups', () => {
    const churned = events.filter((e) => e.event_type === 'churn');
    expect(churned.length / 300).toBeGreaterThan(0.05);
    expect(churned.length / 300).toBeLessThan(0.15);
    const bySegment = countBy(churned, (e) => customerOf(e.customer_id).segment);
    expect((bySegment.enterprise ?? 0) / 37).toBeLessThan((bySegment.startup ?? 0) / 150);
  });
});

// ---- fact_framework_adoptions --------------------------------------------------------------------------

describe('fact_framework_adoptions', () => {
  const adoptersOf = (name: string) => new Set(adoptions.filter((a) => frameworkName(a.framework_id) === name).map((a) => a.customer_id));
  const rate = (name: string, who: (c: (typeof customers)[number]) => boolean) => {
    const group = customers.filter(who);
    const adopters = adoptersOf(name);
    return group.filter((c) => adopters.has(c.customer_id)).length / group.length;
  };
  const all = () => true;

  it('has about 1,100 adoptions (1,000-1,250), one per customer and framework, every customer with one', () => {
    expect(adoptions.length).toBeGreaterThanOrEqual(1000);
    expect(adoptions.length).toBeLessThanOrEqual(1250);
    expect(new Set(adoptions.map((a) => a.adoption_id)).size).toBe(adoptions.length);
    expect(new Set(adoptions.map((a) => `${a.customer_id}/${a.framework_id}`)).size).toBe(adoptions.length);
    expect(new Set(adoptions.map((a) => a.customer_id)).size).toBe(300);
  });

  it('hits the headline adoption rates within 4 points (SOC2 I 95, II 70, ISO 40, GDPR 35, NIST 75 %)', () => {
    expect(rate('SOC2_Type_I', all)).toBeGreaterThanOrEqual(0.93);
    for (const [name, target] of [['SOC2_Type_II', 0.7], ['ISO27001', 0.4], ['GDPR', 0.35], ['NIST_CSF', 0.75]] as const) {
      expect(Math.abs(rate(name, all) - target)).toBeLessThanOrEqual(0.04);
    }
  });

  it('follows industry rules: HIPAA >= 85 % of healthtech and <= 10 % of others; PCI DSS >= 80 % of fintech/ecommerce, 8-22 % of others', () => {
    expect(rate('HIPAA', (c) => c.industry === 'healthtech')).toBeGreaterThanOrEqual(0.85);
    expect(rate('HIPAA', (c) => c.industry !== 'healthtech')).toBeLessThanOrEqual(0.1);
    const pays = (c: (typeof customers)[number]) => c.industry === 'fintech' || c.industry === 'ecommerce';
    expect(rate('PCI_DSS', pays)).toBeGreaterThanOrEqual(0.8);
    expect(rate('PCI_DSS', (c) => !pays(c))).toBeGreaterThanOrEqual(0.08);
    expect(rate('PCI_DSS', (c) => !pays(c))).toBeLessThanOrEqual(0.22);
  });

  it('keeps FedRAMP rare (1-6 %) and commoner among enterprises; larger customers adopt more frameworks', () => {
    expect(rate('FedRAMP', all)).toBeGreaterThanOrEqual(0.01);
    expect(rate('FedRAMP', all)).toBeLessThanOrEqual(0.06);
    expect(rate('FedRAMP', (c) => c.segment === 'enterprise')).toBeGreaterThan(rate('FedRAMP', (c) => c.segment === 'startup'));
    const perCustomer = countBy(adoptions, (a) => a.customer_id);
    const avg = (seg: string) => mean(customers.filter((c) => c.segment === seg).map((c) => perCustomer[c.customer_id] ?? 0));
    expect(avg('enterprise')).toBeGreaterThan(avg('startup'));
    expect(adoptions.length / 300).toBeGreaterThan(3);
    expect(adoptions.length / 300).toBeLessThan(4.5);
  });

  it('adopts SOC2 Type II only with Type I, starting 30-150 days after it (zero violations)', () => {
    const typeI = new Map(
      adoptions.filter((a) => frameworkName(a.framework_id) === 'SOC2_Type_I').map((a) => [a.customer_id, a.start_date]),
    );
    expectNone(
      adoptions.filter((a) => {
        if (frameworkName(a.framework_id) !== 'SOC2_Type_II') return false;
        const start = typeI.get(a.customer_id);
        return start === undefined || day(a.start_date) - day(start) < 30 || day(a.start_date) - day(start) > 150;
      }),
    );
  });

  it('is consistent at 2024-12-31: active has no completion date, finished ones split 2:1 completed:certified (certified 28-39 %)', () => {
    expectNone(adoptions.filter((a) => (a.status === 'active') !== (a.completion_date === null)));
    const finished = adoptions.filter((a) => a.status !== 'active');
    const certified = share(finished, (a) => a.status === 'certified');
    expect(certified).toBeGreaterThanOrEqual(0.28);
    expect(certified).toBeLessThanOrEqual(0.39);
    expect(share(adoptions, (a) => a.status === 'active')).toBeLessThan(0.35);
  });

  it('completes in avg_completion_days x 0.8 / 1.0 / 1.3 by maturity, +/- 30 days (zero violations)', () => {
    const factor = { advanced: 0.8, intermediate: 1, beginner: 1.3 };
    expectNone(
      adoptions.filter((a) => {
        if (a.completion_date === null) return false;
        const planned = Math.round(frameworkById.get(a.framework_id)!.avg_completion_days * factor[customerOf(a.customer_id).compliance_maturity]);
        return Math.abs(day(a.completion_date) - day(a.start_date) - planned) > 30;
      }),
    );
  });

  it('scores audits by maturity (85-98 / 75-90 / 65-85), lower for complex frameworks', () => {
    const ranges = { advanced: [85, 98], intermediate: [75, 90], beginner: [65, 85] };
    expectNone(
      adoptions.filter((a) => {
        const [lo, hi] = ranges[customerOf(a.customer_id).compliance_maturity];
        return !Number.isInteger(a.audit_score) || a.audit_score < lo! || a.audit_score > hi!;
      }),
    );
    const complexity = (a: (typeof adoptions)[number]) => frameworkById.get(a.framework_id)!.complexity_score;
    const relative = (a: (typeof adoptions)[number]) => {
      const [lo, hi] = ranges[customerOf(a.customer_id).compliance_maturity];
      return (a.audit_score - lo!) / (hi! - lo!);
    };
    expect(mean(adoptions.filter((a) => complexity(a) >= 8).map(relative))).toBeLessThan(
      mean(adoptions.filter((a) => complexity(a) <= 5).map(relative)),
    );
  });

  it('derives automation level, implementation cost and hours saved by the spec rules (zero violations)', () => {
    const offset = { advanced: [10, 20], intermediate: [-5, 5], beginner: [-15, -10] };
    const costShare = { startup: [0.5, 0.8], mid_market: [0.8, 1.2], enterprise: [1, 2] };
    const hoursSeg = { startup: 0.6, mid_market: 1, enterprise: 1.6 };
    const hoursMat = { beginner: 0.85, intermediate: 1, advanced: 1.2 };
    expectNone(
      adoptions.filter((a) => {
        const f = frameworkById.get(a.framework_id)!;
        const c = customerOf(a.customer_id);
        const [oLo, oHi] = offset[c.compliance_maturity];
        const [sLo, sHi] = costShare[c.segment];
        const hours = (100 + ((f.complexity_score - 1) * 1900) / 9) * (a.automation_level / 100) * hoursSeg[c.segment] * hoursMat[c.compliance_maturity];
        return (
          a.automation_level - f.automation_percentage < oLo! ||
          a.automation_level - f.automation_percentage > oHi! ||
          a.implementation_cost < f.certification_cost_usd * sLo! - 0.5 ||
          a.implementation_cost > f.certification_cost_usd * sHi! + 0.5 ||
          a.hours_saved < hours * 0.9 - 0.5 ||
          a.hours_saved > hours * 1.1 + 0.5
        );
      }),
    );
  });

  it('starts advanced customers sooner after signup than beginners (median days)', () => {
    const median = (m: string) => {
      const xs = adoptions
        .filter((a) => customerOf(a.customer_id).compliance_maturity === m)
        .map((a) => day(a.start_date) - day(customerOf(a.customer_id).signup_date))
        .sort((x, y) => x - y);
      return xs[Math.floor(xs.length / 2)]!;
    };
    expect(median('advanced')).toBeLessThan(median('intermediate'));
    expect(median('intermediate')).toBeLessThan(median('beginner'));
  });
});

// ---- fact_compliance_activities ------------------------------------------------------------------------

describe('fact_compliance_activities', () => {
  const maturityOf = (a: (typeof activities)[number]) => customerOf(a.customer_id).compliance_maturity;

  it('has exactly 100,000 activities with unique ids', () => {
    expect(activities).toHaveLength(100_000);
    expect(new Set(activities.map((a) => a.activity_id)).size).toBe(100_000);
  });

  it('mixes activity types 50/20/15/10/5 % within 1 point', () => {
    const mix = { control_check: 0.5, questionnaire: 0.2, remediation: 0.15, training: 0.1, audit: 0.05 };
    for (const [t, p] of Object.entries(mix)) expect(Math.abs(share(activities, (a) => a.activity_type === t) - p)).toBeLessThanOrEqual(0.01);
  });

  it('mixes control categories 25/25/20/20/10 % within 2 points, tilted to each framework focus', () => {
    const mix = { access_control: 0.25, data_protection: 0.25, network_security: 0.2, monitoring: 0.2, incident_response: 0.1 };
    for (const [c, p] of Object.entries(mix)) expect(Math.abs(share(activities, (a) => a.control_category === c) - p)).toBeLessThanOrEqual(0.02);
    const categoryShare = (fw: string, cat: string) =>
      share(activities.filter((a) => frameworkName(a.framework_id) === fw), (a) => a.control_category === cat);
    expect(categoryShare('HIPAA', 'data_protection')).toBeGreaterThan(categoryShare('ISO27001', 'data_protection'));
    expect(categoryShare('PCI_DSS', 'network_security')).toBeGreaterThan(categoryShare('ISO27001', 'network_security'));
    expect(categoryShare('SOC2_Type_I', 'access_control')).toBeGreaterThan(categoryShare('ISO27001', 'access_control'));
    expect(categoryShare('NIST_CSF', 'incident_response')).toBeGreaterThan(categoryShare('ISO27001', 'incident_response'));
  });

  it('mixes risk 40/35/20/5 % within 1.5 points, failures skewed to high and critical', () => {
    const mix = { low: 0.4, medium: 0.35, high: 0.2, critical: 0.05 };
    for (const [r, p] of Object.entries(mix)) expect(Math.abs(share(activities, (a) => a.risk_level === r) - p)).toBeLessThanOrEqual(0.015);
    const severe = (a: (typeof activities)[number]) => a.risk_level === 'high' || a.risk_level === 'critical';
    expect(share(activities.filter((a) => !a.success_flag), severe)).toBeGreaterThan(share(activities.filter((a) => a.success_flag), severe) + 0.05);
  });

  it('never automates audits or training; automates the rest at framework % + 15 / 0 / -10 by maturity (within 2 points)', () => {
    expectNone(activities.filter((a) => (a.activity_type === 'audit' || a.activity_type === 'training') && a.automated_flag));
    const adjust = { advanced: 15, intermediate: 0, beginner: -10 };
    for (const m of ['advanced', 'intermediate', 'beginner'] as const) {
      const rows = activities.filter((a) => maturityOf(a) === m && a.activity_type !== 'audit' && a.activity_type !== 'training');
      const expected = mean(rows.map((a) => Math.min(100, frameworkById.get(a.framework_id)!.automation_percentage + adjust[m]) / 100));
      expect(Math.abs(share(rows, (a) => a.automated_flag) - expected)).toBeLessThanOrEqual(0.02);
    }
  });

  it('keeps durations inside the type and automation ranges (zero violations)', () => {
    const ranges: Record<string, { auto: readonly [number, number]; manual: readonly [number, number] }> = {
      control_check: { auto: [5, 30], manual: [30, 120] },
      questionnaire: { auto: [10, 45], manual: [60, 240] },
      remediation: { auto: [30, 90], manual: [120, 480] },
      audit: { auto: [240, 480], manual: [240, 480] },
      training: { auto: [60, 180], manual: [60, 180] },
    };
    expectNone(
      activities.filter((a) => {
        const [lo, hi] = ranges[a.activity_type]![a.automated_flag ? 'auto' : 'manual'];
        return !Number.isInteger(a.duration_minutes) || a.duration_minutes < lo || a.duration_minutes > hi;
      }),
    );
  });

  it('succeeds by maturity (manual: advanced 90-95, intermediate 85-90, beginner 75-85 %), automated 3-10 points higher', () => {
    const bands = { advanced: [0.9, 0.95], intermediate: [0.85, 0.9], beginner: [0.75, 0.85] };
    for (const m of ['advanced', 'intermediate', 'beginner'] as const) {
      const manual = share(activities.filter((a) => maturityOf(a) === m && !a.automated_flag), (a) => a.success_flag);
      const automated = share(activities.filter((a) => maturityOf(a) === m && a.automated_flag), (a) => a.success_flag);
      expect(manual).toBeGreaterThanOrEqual(bands[m][0]!);
      expect(manual).toBeLessThanOrEqual(bands[m][1]!);
      expect(automated - manual).toBeGreaterThanOrEqual(0.03);
      expect(automated - manual).toBeLessThanOrEqual(0.1);
    }
  });

  it('collects evidence by type within 1.5 points (95/85/100/90/60 %), audits always', () => {
    const rates = { control_check: 0.95, questionnaire: 0.85, audit: 1, remediation: 0.9, training: 0.6 };
    for (const [t, p] of Object.entries(rates)) {
      expect(Math.abs(share(activities.filter((a) => a.activity_type === t), (a) => a.evidence_collected) - p)).toBeLessThanOrEqual(0.015);
    }
    expectNone(activities.filter((a) => a.activity_type === 'audit' && !a.evidence_collected));
  });

  it('follows at least 85 % of failed checks with a same-category remediation 1-7 days later', () => {
    const remediations = new Set(
      activities.filter((a) => a.activity_type === 'remediation').map((a) => `${a.adoption_id}/${a.control_category}/${day(a.activity_date)}`),
    );
    const failed = activities.filter((a) => !a.success_flag && a.activity_type !== 'remediation');
    const followed = failed.filter((f) => {
      for (let k = 1; k <= 7; k++) if (remediations.has(`${f.adoption_id}/${f.control_category}/${day(f.activity_date) + k}`)) return true;
      return false;
    });
    expect(followed.length / failed.length).toBeGreaterThanOrEqual(0.85);
  });

  it('schedules manual work on weekdays (< 10 % on weekends), audits in a Q4 rush (> 30 %) and never on major holidays', () => {
    const weekend = (a: (typeof activities)[number]) => [0, 6].includes(new Date(day(a.activity_date) * DAY_MS).getUTCDay());
    expect(share(activities.filter((a) => !a.automated_flag), weekend)).toBeLessThan(0.1);
    const audits = activities.filter((a) => a.activity_type === 'audit');
    expect(share(audits, (a) => Number(a.activity_date.slice(5, 7)) >= 10)).toBeGreaterThan(0.3);
    const holiday = (isoDate: string) => {
      const [, m, d] = isoDate.split('-').map(Number) as [number, number, number];
      const dow = new Date(day(isoDate) * DAY_MS).getUTCDay();
      return (m === 1 && d === 1) || (m === 7 && d === 4) || (m === 12 && d === 25) || (m === 11 && dow === 4 && d >= 22 && d <= 28);
    };
    expectNone(audits.filter((a) => holiday(a.activity_date)));
  });
});

// ---- referential integrity -----------------------------------------------------------------------------

describe('referential integrity', () => {
  it('resolves every customer_id, framework_id and adoption_id reference (zero orphans)', () => {
    expectNone(events.filter((e) => !customerById.has(e.customer_id)));
    expectNone(adoptions.filter((a) => !customerById.has(a.customer_id) || !frameworkById.has(a.framework_id)));
    expectNone(
      activities.filter((a) => {
        const adoption = adoptionById.get(a.adoption_id);
        return (
          !customerById.has(a.customer_id) || !frameworkById.has(a.framework_id) || adoption === undefined ||
          adoption.customer_id !== a.customer_id || adoption.framework_id !== a.framework_id
        );
      }),
    );
  });

  it('gives every customer events and adoptions, and every adoption activities', () => {
    expect(eventsByCustomer.size).toBe(300);
    expect(new Set(activities.map((a) => a.adoption_id)).size).toBe(adoptions.length);
  });
});

// ---- temporal integrity --------------------------------------------------------------------------------

describe('temporal integrity', () => {
  it('dates nothing after the as-of date 2024-12-31', () => {
    expectNone(events.filter((e) => e.event_date > AS_OF));
    expectNone(adoptions.filter((a) => a.start_date > AS_OF || (a.completion_date ?? '') > AS_OF));
    expectNone(activities.filter((a) => a.activity_date > AS_OF));
  });

  it('opens with `new` 0-30 days after signup, then strictly later events, churn only last (zero violations)', () => {
    const violations: string[] = [];
    for (const [id, list] of eventsByCustomer) {
      const first = list[0]!;
      const lag = day(first.event_date) - day(customerOf(id).signup_date);
      if (first.event_type !== 'new' || lag < 0 || lag > 30) violations.push(`${id}: first event`);
      list.forEach((e, i) => {
        if (i > 0 && e.event_date <= list[i - 1]!.event_date) violations.push(`${e.event_id}: not after previous`);
        if (i > 0 && e.event_type === 'new') violations.push(`${e.event_id}: second new`);
        if (e.event_type === 'churn' && i !== list.length - 1) violations.push(`${e.event_id}: churn not last`);
      });
    }
    expectNone(violations);
  });

  it('lets no contract lapse: each is followed at its end (renewal/downgrade/churn) or before it (expansion)', () => {
    const violations: string[] = [];
    for (const list of eventsByCustomer.values()) {
      list.forEach((e, i) => {
        if (e.event_type === 'churn') return;
        const end = addMonths(e.event_date, e.contract_length_months!);
        const next = list[i + 1];
        if (next === undefined) {
          if (end <= AS_OF) violations.push(`${e.event_id}: contract ended ${end} with no follow-up`);
          return;
        }
        if (next.event_type === 'expansion') {
          const midTerm = next.event_date < end;
          const tooEarly = day(next.event_date) - day(e.event_date) < 180 || day(end) - day(next.event_date) < 30;
          if (next.event_date > end || (midTerm && tooEarly)) violations.push(`${next.event_id}: expansion timing`);
        } else if (next.event_date !== end) {
          violations.push(`${next.event_id}: ${next.event_type} on ${next.event_date}, contract ends ${end}`);
        }
      });
    }
    expectNone(violations);
  });

  it('starts adoptions on or after signup and the first subscription, completes them after the start', () => {
    expectNone(
      adoptions.filter((a) => {
        const firstEvent = eventsByCustomer.get(a.customer_id)![0]!.event_date;
        return (
          a.start_date < customerOf(a.customer_id).signup_date || a.start_date < firstEvent ||
          (a.completion_date !== null && a.completion_date <= a.start_date)
        );
      }),
    );
  });

  it('finishes a churned customer\'s adoptions before the churn date', () => {
    expectNone(adoptions.filter((a) => a.completion_date === null ? serviceEnd(a.customer_id) !== AS_OF : a.completion_date > serviceEnd(a.customer_id)));
  });

  it('keeps each activity inside its adoption window: start to completion + 90 days (or as-of), and before churn', () => {
    expectNone(
      activities.filter((a) => {
        const adoption = adoptionById.get(a.adoption_id)!;
        const end = adoption.completion_date === null ? AS_OF : iso(day(adoption.completion_date) + 90);
        const limit = [end, serviceEnd(a.customer_id), AS_OF].sort()[0]!;
        return a.activity_date < adoption.start_date || a.activity_date > limit;
      }),
    );
  });
});

// ---- headline figures ----------------------------------------------------------------------------------

describe('headline figures at 2024-12-31 (pinned for the modellers to cross-check)', () => {
  it('ARR = 12 x the sum of each customer MRR on the as-of date', () => {
    const mrrCents = customers.reduce((s, c) => s + Math.round(mrrOn(c.customer_id, AS_OF) * 100), 0);
    expect(((12 * mrrCents) / 100).toFixed(2)).toBe(HEADLINE.arr);
  });

  it('ARR by segment and active customers (MRR > 0) by segment', () => {
    const arrOf = (seg: string) =>
      customers.filter((c) => c.segment === seg).reduce((s, c) => s + 12 * Math.round(mrrOn(c.customer_id, AS_OF) * 100), 0);
    for (const [seg, arr] of Object.entries(HEADLINE.arrBySegment)) expect((arrOf(seg) / 100).toFixed(2)).toBe(arr);
    const active = customers.filter((c) => mrrOn(c.customer_id, AS_OF) > 0);
    expect(countBy(active, (c) => c.segment)).toEqual(HEADLINE.activeBySegment);
  });

  it('adoptions per framework and activity automation rate', () => {
    expect(countBy(adoptions, (a) => frameworkName(a.framework_id))).toEqual(HEADLINE.adoptionsPerFramework);
    expect((100 * share(activities, (a) => a.automated_flag)).toFixed(2)).toBe(HEADLINE.automationRatePct);
  });
});

const HEADLINE = {
  arr: '20356382.04',
  arrBySegment: { startup: '1637130.96', mid_market: '8361957.36', enterprise: '10357293.72' },
  activeBySegment: { startup: 129, mid_market: 104, enterprise: 37 },
  adoptionsPerFramework: {
    SOC2_Type_I: 287, SOC2_Type_II: 203, ISO27001: 120, HIPAA: 55, GDPR: 104, PCI_DSS: 112, FedRAMP: 11, NIST_CSF: 222,
  },
  automationRatePct: '55.63',
};

// ---- determinism and the committed files ---------------------------------------------------------------

describe('determinism', () => {
  const files = renderSeedFiles(data);

  it('generates the same rows on a second run', () => {
    expect(generatePhantomSec()).toEqual(data);
  });

  it('matches the committed seed files byte for byte (gzip bytes and gunzipped text)', () => {
    expect(files.map((f) => f.name)).toEqual([
      'dim_customers.csv.gz', 'dim_customers.yml',
      'dim_compliance_frameworks.csv', 'dim_compliance_frameworks.yml',
      'fact_subscription_events.csv.gz', 'fact_subscription_events.yml',
      'fact_framework_adoptions.csv.gz', 'fact_framework_adoptions.yml',
      'fact_compliance_activities.csv.gz', 'fact_compliance_activities.yml',
      'fact_phi_incidents.csv.gz', 'fact_phi_incidents.yml',
    ]);
    for (const f of files) {
      const committed = readFileSync(new URL(f.name, SEEDS_DIR));
      if (f.name.endsWith('.gz')) expect(gunzipSync(committed).equals(gunzipSync(f.bytes)), f.name).toBe(true);
      expect(committed.equals(f.bytes), f.name).toBe(true);
    }
  });

  it('writes gzip headers with mtime 0 and a fixed OS byte', () => {
    for (const f of files.filter((x) => x.name.endsWith('.gz'))) {
      expect(f.bytes.readUInt32LE(4), f.name).toBe(0);
      expect(f.bytes[9], f.name).toBe(3);
    }
  });

  it('declares in each seed config the columns of the CSV header, in order', () => {
    for (const f of files.filter((x) => x.name.endsWith('.yml'))) {
      const data = files.find((x) => x.name.startsWith(f.name.replace('.yml', '.csv')))!;
      const text = (data.name.endsWith('.gz') ? gunzipSync(data.bytes) : data.bytes).toString('utf8');
      const header = text.slice(0, text.indexOf('\n')).split(',');
      const declared = [...f.bytes.toString('utf8').matchAll(/^ {2}(\w+): ([A-Z]+(?:\(\d+,\d+\))?)$/gm)].map((m) => m[1]);
      expect(declared, f.name).toEqual(header);
    }
  });

  it('quotes fields per RFC 4180 so company names with commas read back intact', () => {
    const text = gunzipSync(files.find((f) => f.name === 'dim_customers.csv.gz')!.bytes).toString('utf8');
    const parsed = parseCsv(text);
    expect(parsed).toHaveLength(301);
    const header = parsed[0]!;
    const nameAt = header.indexOf('company_name');
    expect(parsed.slice(1).map((r) => r[nameAt])).toEqual(customers.map((c) => c.company_name));
    expect(customers.some((c) => c.company_name.includes(','))).toBe(true);
    expect(parsed.every((r) => r.length === header.length)).toBe(true);
  });
});

/** A small RFC 4180 reader (LF line ends), independent of the generator's writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += ch;
  }
  return rows;
}
