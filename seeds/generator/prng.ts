// Seeded pseudo-random streams (sfc32), one per label, so every table and entity draws from its own reproducible stream.
//
// Only 32-bit integer operations and IEEE-754 +, -, *, / are used, so the same seed gives the same numbers
// on every machine and Node version. Each stream is keyed by a label ("events/CUST-0042"), which keeps a change
// in one entity's draws from shifting every later entity.

/** The dataset's fixed seed. Changing it regenerates every table. */
export const MASTER_SEED = 0x50_48_53_45; // "PHSE"

/** FNV-1a over the UTF-16 code units of a label. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32: expands one 32-bit seed into well-mixed state words. */
function splitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export type Weighted<T> = readonly (readonly [T, number])[];

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    const mix = splitmix32(seed);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.next32();
  }

  /** sfc32 step. */
  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next32() / 4294967296;
  }

  /** Uniform real in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    if (hi < lo) throw new Error(`Rng.int: empty range [${lo}, ${hi}]`);
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new Error('Rng.pick: empty list');
    return item;
  }

  /** One value drawn with probability proportional to its weight (weights need not sum to 1). */
  weighted<T>(entries: Weighted<T>): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    let x = this.float() * total;
    for (const [value, w] of entries) {
      if (x < w) return value;
      x -= w;
    }
    const last = entries[entries.length - 1];
    if (last === undefined) throw new Error('Rng.weighted: empty list');
    return last[0];
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }
}

/** The stream for one label under the dataset seed. */
export function rngFor(label: string, seed: number = MASTER_SEED): Rng {
  return new Rng((seed ^ hashLabel(label)) >>> 0);
}

/**
 * Splits n items into whole counts as close as possible to the weights (largest remainder; ties go to the
 * earlier entry), so a mix such as 50 / 37.5 / 12.5 % of 300 lands on exact integer counts.
 */
export function quotaCounts<T>(n: number, entries: Weighted<T>): number[] {
  let total = 0;
  for (const [, w] of entries) total += w;
  const exact = entries.map(([, w]) => (n * w) / total);
  const counts = exact.map((x) => Math.floor(x));
  let left = n - counts.reduce((s, c) => s + c, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .sort((p, q) => q.frac - p.frac || p.i - q.i);
  for (const { i } of order) {
    if (left <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  return counts;
}

/** n labels in exactly the quota counts of the weights, in shuffled order. */
export function quotaAssign<T>(rng: Rng, n: number, entries: Weighted<T>): T[] {
  const counts = quotaCounts(n, entries);
  const labels: T[] = [];
  entries.forEach(([value], i) => {
    for (let k = 0; k < (counts[i] ?? 0); k++) labels.push(value);
  });
  return rng.shuffle(labels);
}

/**
 * k distinct indexes drawn one after another, each with probability proportional to its weight among those
 * left (sequential weighted sampling without replacement); returns a flag per index.
 */
export function weightedPicks(rng: Rng, weights: readonly number[], k: number): boolean[] {
  const picked = weights.map(() => false);
  let left = weights.reduce((s, w) => s + w, 0);
  for (let n = 0; n < k; n++) {
    let x = rng.float() * left;
    let chosen = -1;
    for (let i = 0; i < weights.length; i++) {
      if (picked[i]) continue;
      chosen = i;
      const w = weights[i] ?? 0;
      if (x < w) break;
      x -= w;
    }
    if (chosen < 0) throw new Error('weightedPicks: fewer items than picks');
    picked[chosen] = true;
    left -= weights[chosen] ?? 0;
  }
  return picked;
}
