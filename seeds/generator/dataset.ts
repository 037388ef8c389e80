// Dataset-wide constants and vocabulary of the Phantom Sec showcase: the as-of date, the category values, and
// the column-spec types shared by the table modules, the CSV writer and the seed configs.

import { dayOf } from './calendar.js';

/** First possible signup day. */
export const DATA_START_DAY = dayOf(2020, 1, 1);
/** The dataset's as-of date: nothing happens after it. */
export const AS_OF_DAY = dayOf(2024, 12, 31);
export const AS_OF_DATE = '2024-12-31';

export const SEGMENTS = ['startup', 'mid_market', 'enterprise'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const INDUSTRIES = [
  'saas',
  'fintech',
  'healthtech',
  'ecommerce',
  'edtech',
  'manufacturing',
  'logistics',
  'media',
  'other',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

export const MATURITIES = ['beginner', 'intermediate', 'advanced'] as const;
export type Maturity = (typeof MATURITIES)[number];

export const CLOUD_PROVIDERS = ['AWS', 'Azure', 'GCP', 'Multi-cloud', 'On-premise'] as const;
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

export const PRODUCT_TIERS = ['starter', 'professional', 'enterprise', 'enterprise_plus'] as const;
export type ProductTier = (typeof PRODUCT_TIERS)[number];

/** Monthly recurring revenue band of each tier, in USD net of discount (both ends inclusive). */
export const TIER_MRR_BAND: Readonly<Record<ProductTier, readonly [number, number]>> = {
  starter: [200, 800],
  professional: [800, 3000],
  enterprise: [3000, 15000],
  enterprise_plus: [15000, 50000],
};

/** Column kinds: each fixes the CSV text form and the Snowflake type of the seed config. */
export type ColumnKind = 'varchar' | 'date' | 'integer' | 'money' | 'percent' | 'boolean';

export const SNOWFLAKE_TYPE: Readonly<Record<ColumnKind, string>> = {
  varchar: 'VARCHAR',
  date: 'DATE',
  integer: 'INTEGER',
  money: 'NUMBER(18,2)',
  percent: 'NUMBER(5,2)',
  boolean: 'BOOLEAN',
};

export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
}

export type Cell = string | number | boolean | null;
export type Row = Readonly<Record<string, Cell>>;

export interface TableSpec {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly ColumnSpec[];
  /** Written as gzip (.csv.gz) or, for small reference tables, as plain .csv. */
  readonly gzip: boolean;
}

/** Rounds to cents, so an amount held in memory equals its two-decimal CSV text. */
export function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

export function zeroPad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
