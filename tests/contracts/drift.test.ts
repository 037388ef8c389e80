import { describe, expect, it } from 'vitest';
import {
  categoricalBins,
  categoricalProportions,
  classifyPsi,
  NULL_CATEGORY,
  numericBins,
  numericProportions,
  psi,
  PSI_EPSILON,
} from '../../src/execute/drift.js';

describe('psi', () => {
  it('matches a hand-computed value', () => {
    // e = [0.5, 0.5], a = [0.7, 0.3]
    // (0.7 − 0.5)·ln(0.7/0.5) = 0.2 · 0.3364722 = 0.0672944
    // (0.3 − 0.5)·ln(0.3/0.5) = −0.2 · −0.5108256 = 0.1021651
    // PSI = 0.1694596
    expect(psi([0.5, 0.5], [0.7, 0.3])).toBeCloseTo(0.1694596, 6);
  });

  it('accepts counts as well as proportions', () => {
    expect(psi([50, 50], [70, 30])).toBeCloseTo(0.1694596, 6);
  });

  it('replaces an empty bin by the epsilon 1e-4', () => {
    // e = [0.5, 0.5, 0 → 1e-4], a = [0.4, 0.4, 0.2]
    // bins 1 and 2: (0.4 − 0.5)·ln(0.4/0.5) = −0.1 · −0.2231436 = 0.0223144 each, 0.0446287 together
    // bin 3: (0.2 − 0.0001)·ln(0.2/0.0001) = 0.1999 · ln 2000 = 0.1999 · 7.6009025 = 1.5194204
    // PSI = 1.5640491
    expect(PSI_EPSILON).toBe(1e-4);
    expect(psi([0.5, 0.5, 0], [0.4, 0.4, 0.2])).toBeCloseTo(1.5640491, 6);
  });

  it('is zero for the same distribution and NaN for an empty sample', () => {
    expect(psi([1, 2, 3], [2, 4, 6])).toBeCloseTo(0, 12);
    expect(psi([1, 1], [0, 0])).toBeNaN();
  });

  it('refuses bins that do not line up', () => {
    expect(() => psi([0.5, 0.5], [1])).toThrow(RangeError);
  });
});

describe('classifyPsi', () => {
  it('reads Lewis bands, the threshold itself passing as "<=" says', () => {
    expect([0.05, 0.1, 0.1001, 0.25, 0.2501, Number.NaN].map((v) => classifyPsi(v))).toEqual(['pass', 'pass', 'warn', 'warn', 'fail', 'fail']);
    expect(classifyPsi(0.15, 0.2, 0.3)).toBe('pass');
  });
});

describe('numeric bins', () => {
  it('cuts the baseline at its quantiles', () => {
    // 1..10 in 4 bins: h = 9p, so q(0.25) = 3 + 0.25·1 = 3.25, q(0.5) = 5.5, q(0.75) = 7.75
    const binning = numericBins([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 4);
    expect(binning.edges).toEqual([3.25, 5.5, 7.75]);
    expect(numericProportions([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], binning)).toEqual([0.3, 0.2, 0.2, 0.3]);
  });

  it('puts a value equal to an edge in the lower bin, and out-of-range values in the end bins', () => {
    const binning = { kind: 'numeric', edges: [0, 10] } as const;
    expect(numericProportions([-100, 0, 5, 10, 1000, Number.NaN], binning)).toEqual([0.4, 0.4, 0.2]);
  });

  it('collapses ties, so a near-constant column gets fewer bins', () => {
    // q(0.1..0.7) = 1; q(0.8): h = 7.2, 1 + 0.2·(2 − 1) = 1.2; q(0.9): h = 8.1, 2 + 0.1·(3 − 2) = 2.1
    const edges = numericBins([1, 1, 1, 1, 1, 1, 1, 1, 2, 3], 10).edges;
    expect(edges).toHaveLength(3);
    [1, 1.2, 2.1].forEach((e, i) => expect(edges[i]).toBeCloseTo(e, 12));
    expect(numericBins([], 10).edges).toEqual([]);
  });

  it('gives a small PSI for a sample of the baseline and a large one for a shifted sample', () => {
    const baseline = Array.from({ length: 1000 }, (_, i) => i);
    const binning = numericBins(baseline, 10);
    const expected = numericProportions(baseline, binning);
    expect(psi(expected, numericProportions(baseline.filter((v) => v % 2 === 0), binning))).toBeLessThan(0.01);
    expect(classifyPsi(psi(expected, numericProportions(baseline.map((v) => v + 300), binning)))).toBe('fail');
  });
});

describe('categorical bins', () => {
  it('keeps the most frequent baseline categories, NULL included, and pools new values', () => {
    const binning = categoricalBins(['paid', 'paid', 'shipped', null, 'paid', 'shipped', 'lost'], 3);
    expect(binning.categories).toEqual(['paid', 'shipped', NULL_CATEGORY]);
    expect(categoricalProportions(['paid', 'new', null, 'lost'], binning)).toEqual([0.25, 0, 0.25, 0.5]);
  });
});
