// Distribution drift for drift SLOs: baseline bins, bin proportions, the Population Stability Index and its reading. Pure.

/**
 * Stands in for an empty bin's proportion, since ln(0) is undefined. 1e-4 is the usual choice in PSI tooling; the
 * proportions are not renormalised afterwards, so the value matches what most libraries report.
 */
export const PSI_EPSILON = 1e-4;

export type PsiOutcome = 'pass' | 'warn' | 'fail';

/** Interior cut points, ascending and distinct: bin i holds values in (edges[i-1], edges[i]]. */
export interface NumericBinning {
  readonly kind: 'numeric';
  readonly edges: readonly number[];
}

/** The baseline's categories, most frequent first; a last, implicit bin takes every other value. */
export interface CategoricalBinning {
  readonly kind: 'categorical';
  readonly categories: readonly string[];
}

/** How NULL is counted in categorical drift: a change in how often a value is missing is drift too. */
export const NULL_CATEGORY = '(null)';

/**
 * PSI = Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ) over bins, with e the expected (baseline) and a the actual proportions.
 * Counts are accepted too: each side is scaled to sum to 1 first. NaN when a side has no observations.
 */
export function psi(expected: readonly number[], actual: readonly number[], epsilon = PSI_EPSILON): number {
  if (expected.length !== actual.length || expected.length === 0) {
    throw new RangeError(`psi needs two equal, non-empty bin lists (got ${expected.length} and ${actual.length})`);
  }
  const e = toProportions(expected);
  const a = toProportions(actual);
  if (!e || !a) return Number.NaN;
  let total = 0;
  for (let i = 0; i < e.length; i++) {
    const ei = Math.max(e[i] ?? 0, epsilon);
    const ai = Math.max(a[i] ?? 0, epsilon);
    total += (ai - ei) * Math.log(ai / ei);
  }
  return total;
}

/**
 * Lewis's bands: above `fail` is a significant shift, above `warn` a moderate one. The threshold itself passes, as the
 * contract's "<=0.1" reads. NaN (an empty sample) fails, since no distribution is a broken one.
 */
export function classifyPsi(value: number, warn = 0.1, fail = 0.25): PsiOutcome {
  if (Number.isNaN(value) || value > fail) return 'fail';
  return value > warn ? 'warn' : 'pass';
}

/**
 * Quantile cut points of the baseline (linear interpolation between order statistics, numpy's default), so each bin
 * holds about 1/bins of the baseline. Ties collapse bins: a column with few distinct values gets fewer bins.
 */
export function numericBins(baselineValues: readonly number[], bins = 10): NumericBinning {
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`bins must be an integer of at least 2, got ${bins}`);
  const sorted = baselineValues.filter(Number.isFinite).sort((x, y) => x - y);
  const edges: number[] = [];
  if (sorted.length > 0) {
    for (let k = 1; k < bins; k++) {
      const edge = quantile(sorted, k / bins);
      if (edges.length === 0 || edge > (edges[edges.length - 1] ?? -Infinity)) edges.push(edge);
    }
  }
  return { kind: 'numeric', edges };
}

/** The bin of a value: how many edges lie strictly below it. */
export function numericBinIndex(value: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((edges[mid] ?? Infinity) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Proportion of values per bin; non-finite values (NULL, NaN) are left out, as completeness measures those. */
export function numericProportions(values: readonly number[], binning: NumericBinning): number[] {
  const counts = new Array<number>(binning.edges.length + 1).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const i = numericBinIndex(v, binning.edges);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return toProportions(counts) ?? counts;
}

/** Keeps the `maxCategories` most frequent baseline values (ties by name, for a reproducible order). */
export function categoricalBins(baselineValues: ReadonlyArray<string | null>, maxCategories = 20): CategoricalBinning {
  if (!Number.isInteger(maxCategories) || maxCategories < 1) throw new RangeError(`maxCategories must be a positive integer, got ${maxCategories}`);
  const counts = new Map<string, number>();
  for (const v of baselineValues) counts.set(v ?? NULL_CATEGORY, (counts.get(v ?? NULL_CATEGORY) ?? 0) + 1);
  const categories = [...counts.entries()]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, maxCategories)
    .map(([name]) => name);
  return { kind: 'categorical', categories };
}

/** Proportion per baseline category, plus a last bin for values the baseline did not have. */
export function categoricalProportions(values: ReadonlyArray<string | null>, binning: CategoricalBinning): number[] {
  const index = new Map(binning.categories.map((c, i) => [c, i]));
  const counts = new Array<number>(binning.categories.length + 1).fill(0);
  for (const v of values) {
    const i = index.get(v ?? NULL_CATEGORY) ?? binning.categories.length;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return toProportions(counts) ?? counts;
}

/** categoricalBins from value counts (as a GROUP BY returns them) rather than from every value. */
export function categoricalBinsFromCounts(counts: ReadonlyMap<string, number>, maxCategories = 20): CategoricalBinning {
  const categories = [...counts.entries()]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, maxCategories)
    .map(([name]) => name);
  return { kind: 'categorical', categories };
}

/** categoricalProportions from value counts. */
export function categoricalProportionsFromCounts(counts: ReadonlyMap<string, number>, binning: CategoricalBinning): number[] {
  const index = new Map(binning.categories.map((c, i) => [c, i]));
  const binned = new Array<number>(binning.categories.length + 1).fill(0);
  for (const [value, n] of counts) {
    const i = index.get(value) ?? binning.categories.length;
    binned[i] = (binned[i] ?? 0) + n;
  }
  return toProportions(binned) ?? binned;
}

/** Distinct, ascending cut points from quantiles, as numericBins keeps them. */
export function edgesFromQuantiles(quantiles: readonly number[]): NumericBinning {
  const edges: number[] = [];
  for (const q of quantiles) if (Number.isFinite(q) && (edges.length === 0 || q > (edges[edges.length - 1] ?? -Infinity))) edges.push(q);
  return { kind: 'numeric', edges };
}

function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo] ?? 0;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] ?? below;
  return below + (h - lo) * (above - below);
}

function toProportions(values: readonly number[]): number[] | undefined {
  if (values.some((v) => !Number.isFinite(v) || v < 0)) throw new RangeError('bin counts and proportions must be finite and non-negative');
  const sum = values.reduce((s, v) => s + v, 0);
  return sum > 0 ? values.map((v) => v / sum) : undefined;
}
