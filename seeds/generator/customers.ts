// dim_customers: 300 US customers with exact segment, industry, maturity, cloud and state mixes.
//
// Categorical mixes are dealt as exact quotas (largest remainder) and shuffled, so the dimension hits the
// specification's percentages to the customer; only the numeric attributes are drawn. Signup years weigh
// 16/18/20/22/24 % (growth), days uniform within the year; customer ids follow signup order. The 37 enterprise
// customers are drawn with the specification's deal season (seasonality.ts: more in Q4, fewer in summer).

import { dayOf, isoDate, isLeapYear } from './calendar.js';
import {
  type CloudProvider,
  type Industry,
  type Maturity,
  type Segment,
  type TableSpec,
  zeroPad,
} from './dataset.js';
import {
  AREA_CODES,
  COMPANY_NOUNS,
  COMPANY_PREFIXES,
  FIRST_NAMES,
  LAST_NAMES,
  LEGAL_SUFFIXES,
  emailLocalPart,
} from './names.js';
import { type Rng, type Weighted, quotaAssign, quotaCounts, rngFor, weightedPicks } from './prng.js';
import { ENTERPRISE_DEAL_SEASON, monthWeight } from './seasonality.js';

export const CUSTOMER_COUNT = 300;

export type CustomerRow = {
  readonly customer_id: string;
  readonly company_name: string;
  readonly segment: Segment;
  readonly industry: Industry;
  readonly signup_date: string;
  readonly employee_count: number;
  readonly annual_revenue: number;
  readonly country: string;
  readonly state_province: string;
  readonly compliance_maturity: Maturity;
  readonly primary_cloud_provider: CloudProvider;
  readonly primary_contact_name: string;
  readonly primary_contact_email: string;
  readonly primary_contact_phone: string;
};

export const CUSTOMERS_TABLE: TableSpec = {
  name: 'dim_customers',
  description: 'Phantom Sec customers (synthetic; primary_contact_* columns are fake PII for masking tests).',
  gzip: true,
  columns: [
    { name: 'customer_id', kind: 'varchar' },
    { name: 'company_name', kind: 'varchar' },
    { name: 'segment', kind: 'varchar' },
    { name: 'industry', kind: 'varchar' },
    { name: 'signup_date', kind: 'date' },
    { name: 'employee_count', kind: 'integer' },
    { name: 'annual_revenue', kind: 'money' },
    { name: 'country', kind: 'varchar' },
    { name: 'state_province', kind: 'varchar' },
    { name: 'compliance_maturity', kind: 'varchar' },
    { name: 'primary_cloud_provider', kind: 'varchar' },
    { name: 'primary_contact_name', kind: 'varchar' },
    { name: 'primary_contact_email', kind: 'varchar' },
    { name: 'primary_contact_phone', kind: 'varchar' },
  ],
};

/** Signups per year, weighted toward recent years (growth): 16/18/20/22/24 %, so 48/54/60/66/72 of 300. */
export const SIGNUP_YEAR_MIX: Weighted<number> = [
  [2020, 16],
  [2021, 18],
  [2022, 20],
  [2023, 22],
  [2024, 24],
];

/** 50 / 37.5 / 12.5 %; 37.5 % of 300 is not whole, so largest remainder gives 150 / 113 / 37. */
export const SEGMENT_MIX: Weighted<Segment> = [
  ['startup', 50],
  ['mid_market', 37.5],
  ['enterprise', 12.5],
];

export const INDUSTRY_MIX: Weighted<Industry> = [
  ['saas', 30],
  ['fintech', 20],
  ['healthtech', 15],
  ['ecommerce', 10],
  ['edtech', 8],
  ['manufacturing', 7],
  ['logistics', 5],
  ['media', 3],
  ['other', 2],
];

export const MATURITY_MIX: Weighted<Maturity> = [
  ['beginner', 40],
  ['intermediate', 45],
  ['advanced', 15],
];

export const CLOUD_MIX: Weighted<CloudProvider> = [
  ['AWS', 45],
  ['Azure', 25],
  ['GCP', 15],
  ['Multi-cloud', 10],
  ['On-premise', 5],
];

/** Headquarters states (customers per 300): tech hubs first, the specification's ten states all present. */
export const STATE_MIX: Weighted<string> = [
  ['CA', 66], ['NY', 36], ['TX', 30], ['WA', 18], ['MA', 18], ['FL', 15], ['IL', 15], ['CO', 12],
  ['PA', 9], ['GA', 9], ['NC', 9], ['VA', 9], ['NJ', 9], ['OH', 6], ['UT', 6], ['OR', 6],
  ['AZ', 6], ['MN', 6], ['MI', 5], ['MD', 5], ['TN', 5],
];

export const EMPLOYEE_RANGE: Readonly<Record<Segment, readonly [number, number]>> = {
  startup: [1, 50],
  mid_market: [51, 500],
  enterprise: [501, 10000],
};

export const REVENUE_RANGE: Readonly<Record<Segment, readonly [number, number]>> = {
  startup: [100_000, 5_000_000],
  mid_market: [5_000_000, 100_000_000],
  enterprise: [100_000_000, 1_000_000_000],
};

function signupDays(rng: Rng): number[] {
  const years = quotaAssign(rng, CUSTOMER_COUNT, SIGNUP_YEAR_MIX);
  const days = years.map((y) => dayOf(y, 1, 1) + rng.int(0, isLeapYear(y) ? 365 : 364));
  return days.sort((a, b) => a - b);
}

/** Headcount skewed toward the small end of the segment (u squared), revenue tracking headcount. */
function sizeOf(rng: Rng, segment: Segment): { employees: number; revenue: number } {
  const [eLo, eHi] = EMPLOYEE_RANGE[segment];
  const u = rng.float();
  const employees = eLo + Math.floor((eHi - eLo + 1) * u * u);
  const position = (employees - eLo) / (eHi - eLo);
  const [rLo, rHi] = REVENUE_RANGE[segment];
  const mix = 0.6 * position + 0.4 * rng.float();
  const revenue = Math.round((rLo + (rHi - rLo) * mix) / 1000) * 1000;
  return { employees, revenue };
}

function companyName(rng: Rng, industry: Industry, taken: Set<string>): { name: string; slug: string } {
  for (;;) {
    const core = `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(COMPANY_NOUNS[industry])}`;
    if (taken.has(core)) continue;
    taken.add(core);
    return { name: core + rng.weighted(LEGAL_SUFFIXES), slug: emailLocalPart(core) };
  }
}

function contact(rng: Rng, slug: string, state: string): { name: string; email: string; phone: string } {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const area = rng.pick(AREA_CODES[state] ?? [555]);
  return {
    name: `${first} ${last}`,
    email: `${emailLocalPart(first)}.${emailLocalPart(last)}@${slug}.example.com`,
    phone: `+1-${area}-555-01${zeroPad(rng.int(0, 99), 2)}`,
  };
}

/**
 * Segments in exact quotas. Enterprise deals follow the specification's season (more in Q4, fewer in summer):
 * the enterprise customers are drawn among the signup days with the month's ENTERPRISE_DEAL_SEASON weight, and
 * the other segments are dealt to the rest in shuffled order.
 */
function dealSegments(rng: Rng, days: readonly number[]): Segment[] {
  const counts = quotaCounts(CUSTOMER_COUNT, SEGMENT_MIX);
  const enterpriseAt = SEGMENT_MIX.findIndex(([s]) => s === 'enterprise');
  const season = days.map((d) => monthWeight(ENTERPRISE_DEAL_SEASON, d));
  const enterprise = weightedPicks(rng, season, counts[enterpriseAt] ?? 0);
  const others = rng.shuffle(
    SEGMENT_MIX.flatMap(([s], k) => (s === 'enterprise' ? [] : new Array<Segment>(counts[k] ?? 0).fill(s))),
  );
  let next = 0;
  return enterprise.map((isEnterprise) => (isEnterprise ? 'enterprise' : (others[next++] as Segment)));
}

export function generateCustomers(): CustomerRow[] {
  const days = signupDays(rngFor('customers/signup'));
  const segments = dealSegments(rngFor('customers/segment'), days);
  const industries = quotaAssign(rngFor('customers/industry'), CUSTOMER_COUNT, INDUSTRY_MIX);
  const maturities = quotaAssign(rngFor('customers/maturity'), CUSTOMER_COUNT, MATURITY_MIX);
  const clouds = quotaAssign(rngFor('customers/cloud'), CUSTOMER_COUNT, CLOUD_MIX);
  const states = quotaAssign(rngFor('customers/state'), CUSTOMER_COUNT, STATE_MIX);
  const detail = rngFor('customers/detail');
  const taken = new Set<string>();

  return days.map((day, i) => {
    const segment = segments[i] as Segment;
    const industry = industries[i] as Industry;
    const state = states[i] as string;
    const size = sizeOf(detail, segment);
    const company = companyName(detail, industry, taken);
    const person = contact(detail, company.slug, state);
    return {
      customer_id: `CUST-${zeroPad(i + 1, 4)}`,
      company_name: company.name,
      segment,
      industry,
      signup_date: isoDate(day),
      employee_count: size.employees,
      annual_revenue: size.revenue,
      country: 'USA',
      state_province: state,
      compliance_maturity: maturities[i] as Maturity,
      primary_cloud_provider: clouds[i] as CloudProvider,
      primary_contact_name: person.name,
      primary_contact_email: person.email,
      primary_contact_phone: person.phone,
    };
  });
}
