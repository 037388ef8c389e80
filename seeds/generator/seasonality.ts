// The specification's seasonality as month weights, and a seasonal day draw inside a range.
//
// - Subscription events (001): "more enterprise deals in Q4, fewer in summer". Enterprise deals weigh
//   January-May and September 1, June-August 0.4, October-December 2.5: over whole years 51 % of them fall in
//   Q4 and 8 % in summer, where a flat calendar gives 25 % each.
// - Framework adoptions (001): "compliance projects often start in Q1/Q2, complete by Q4". Project starts
//   weigh Q1 and Q2 1, Q3 0.35, Q4 0.2: over whole years 78 % of them fall in the first half. Starts confined
//   to a short range (SOC2 Type II 30-150 days after Type I, recent signups before the as-of date) keep less of
//   the season, so the dataset's first-half share is lower (about 64 %).

import { monthOf } from './calendar.js';
import type { Rng } from './prng.js';

/** Twelve relative weights, January first. */
export type MonthWeights = readonly number[];

export const ENTERPRISE_DEAL_SEASON: MonthWeights = [1, 1, 1, 1, 1, 0.4, 0.4, 0.4, 1, 2.5, 2.5, 2.5];
export const PROJECT_START_SEASON: MonthWeights = [1, 1, 1, 1, 1, 1, 0.35, 0.35, 0.35, 0.2, 0.2, 0.2];

/** Tries before a seasonal draw keeps whatever day it has (a range inside one quiet month still yields a day). */
const SEASONAL_ATTEMPTS = 12;

export function monthWeight(weights: MonthWeights, day: number): number {
  return weights[monthOf(day) - 1] ?? 1;
}

/**
 * A day in [lo, hi], inclusive, drawn uniformly and kept with probability weight(month) / the largest weight,
 * else drawn again: over a range of whole years the months come out (very nearly) in proportion to the weights.
 */
export function seasonalDay(rng: Rng, lo: number, hi: number, weights: MonthWeights): number {
  const top = Math.max(...weights);
  let day = rng.int(lo, hi);
  for (let attempt = 1; attempt < SEASONAL_ATTEMPTS && !rng.chance(monthWeight(weights, day) / top); attempt++) {
    day = rng.int(lo, hi);
  }
  return day;
}
