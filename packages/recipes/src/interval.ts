/** A proportion with a two-sided 95% interval. */
export interface Interval {
  /** `correct / n` (NaN when n is 0). */
  readonly value: number;
  readonly lo: number;
  readonly hi: number;
  readonly n: number;
}

/** Two-sided 95% standard-normal quantile. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for a binomial proportion `correct / n` (95% by default). Throws a RangeError for
 * impossible counts; n = 0 gives the uninformative interval [0, 1].
 */
export function wilson(correct: number, n: number, z = Z95): Interval {
  if (!Number.isFinite(correct) || !Number.isFinite(n) || n < 0 || correct < 0 || correct > n) {
    throw new RangeError(`wilson: need 0 <= correct <= n, got correct=${correct} n=${n}`);
  }
  if (n === 0) return { value: NaN, lo: 0, hi: 1, n: 0 };
  const p = correct / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { value: p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half), n };
}

/**
 * True when `correct / n` is above `baselineCorrect / n` with disjoint Wilson 95% intervals: the measure "left the
 * baseline" used for MLM accuracy against the most-frequent-token rate, and for sentence heads against chance and
 * the cue rules.
 */
export function aboveWithDisjointIntervals(correct: number, baselineCorrect: number, n: number): boolean {
  if (n === 0) return false;
  return wilson(correct, n).lo > wilson(baselineCorrect, n).hi;
}
