// Which frameworks each customer takes on: decided from the customer alone, before any date is drawn, because
// the subscription history depends on it (customers with more frameworks pay and expand more and churn less).
//
// Rules:
// - Adoption chance per customer and framework (ADOPTION_RATE): the specification's industry-specific rates,
//   with the default for the other industries calibrated so each overall rate is the headline rate (SOC2
//   Type I 95 %, SOC2 Type II 70 %, ISO 27001 40 %, GDPR 35 %, NIST CSF 75 %); HIPAA 95 % of healthtech and 5 %
//   of others; PCI DSS 90 % of fintech and ecommerce and 15 % of others. "Larger customers adopt more": the
//   optional frameworks (SOC2 Type II, ISO 27001, GDPR, NIST CSF) are scaled by segment (0.85 / 1.1 / 1.3,
//   mean 1 over the 150 / 113 / 37 mix). SOC2 Type II is only chosen with SOC2 Type I, its prerequisite. The
//   customer dimension has no government_contractors industry (001 names it only in industry_relevance), so
//   FedRAMP, "rare", goes by segment: 2 % / 4 % / 12 %.
// - Adopters are chosen per framework by systematic sampling (each customer with exactly its chance, the count
//   equal to the rounded sum of chances), and every customer adopts at least SOC2 Type I.
// - A choice is not yet an adoption row: framework-adoptions.ts drops the ones a churned customer could not
//   finish before leaving, and a SOC2 Type II that cannot start 30 days after Type I inside the service window.

import type { CustomerRow } from './customers.js';
import type { Industry, Segment } from './dataset.js';
import { FRAMEWORKS, type FrameworkName, type FrameworkRow } from './frameworks.js';
import { type Rng, rngFor } from './prng.js';

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

/** The frameworks each customer chose, in framework_id order; aligned with the customers array. */
export function chooseFrameworks(customers: readonly CustomerRow[]): FrameworkRow[][] {
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
  return customers.map((_, i) => FRAMEWORKS.filter((_f, k) => adopted[k]?.[i] === true));
}
