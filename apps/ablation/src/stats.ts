// Interval statistics used by the report: binomial (Wilson) intervals for one accuracy, Newcombe's interval for
// a difference of two accuracies, and Student-t intervals for means across seeds or tokens.
import { studentTQuantile, wilson as wilsonInterval } from '@albert-ts/recipes';

/** A point estimate with a two-sided 95% interval. */
export interface Estimate {
  /** Point estimate (a proportion for accuracies). */
  value: number;
  /** Lower bound of the 95% interval. */
  lo: number;
  /** Upper bound of the 95% interval. */
  hi: number;
  /** Sample size behind the estimate (evaluation examples, tokens or seeds). */
  n: number;
  /** How the interval was computed. */
  method: 'wilson' | 't' | 'newcombe' | 'welch' | 'exact';
}

export { Z95, studentTQuantile } from '@albert-ts/recipes';

/**
 * Wilson score interval for a binomial proportion `correct / n` (95% by default; `wilson` of @albert-ts/recipes).
 * Throws a RangeError for impossible counts; n = 0 gives the uninformative interval [0, 1].
 */
export function wilson(correct: number, n: number, z?: number): Estimate {
  return { ...wilsonInterval(correct, n, z), method: 'wilson' };
}

/**
 * Newcombe's hybrid score interval (his method 10) for the difference `a - b` of two independent
 * proportions, built from their Wilson intervals.
 */
export function newcombeDiff(a: Estimate, b: Estimate): Estimate {
  const d = a.value - b.value;
  const lo = d - Math.sqrt((a.value - a.lo) ** 2 + (b.hi - b.value) ** 2);
  const hi = d + Math.sqrt((a.hi - a.value) ** 2 + (b.value - b.lo) ** 2);
  return { value: d, lo, hi, n: Math.min(a.n, b.n), method: 'newcombe' };
}

/** Sample mean and unbiased standard deviation. */
export function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, sd: NaN };
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  if (n === 1) return { mean, sd: NaN };
  const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, sd: Math.sqrt(v) };
}

/**
 * Mean with a 95% Student-t interval (across seeds, or across tokens). Fewer than two values give the
 * uninformative interval [-inf, inf]: one seed says nothing about seed-to-seed spread.
 */
export function tInterval(xs: readonly number[]): Estimate {
  const { mean, sd } = meanSd(xs);
  const n = xs.length;
  if (n < 2) return { value: mean, lo: -Infinity, hi: Infinity, n, method: 't' };
  const half = (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { value: mean, lo: mean - half, hi: mean + half, n, method: 't' };
}

/** t interval from summary statistics (mean, sd, n); used for token-level geometry. */
export function tIntervalFromSummary(mean: number, sd: number, n: number): Estimate {
  if (n < 2 || !Number.isFinite(sd)) return { value: mean, lo: -Infinity, hi: Infinity, n, method: 't' };
  const half = (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { value: mean, lo: mean - half, hi: mean + half, n, method: 't' };
}

/** Welch's 95% interval for the difference of two means `mean(a) - mean(b)`. */
export function welchDiff(a: readonly number[], b: readonly number[]): Estimate {
  const A = meanSd(a);
  const B = meanSd(b);
  const d = A.mean - B.mean;
  if (a.length < 2 || b.length < 2) return { value: d, lo: -Infinity, hi: Infinity, n: Math.min(a.length, b.length), method: 'welch' };
  const va = (A.sd * A.sd) / a.length;
  const vb = (B.sd * B.sd) / b.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { value: d, lo: d, hi: d, n: Math.min(a.length, b.length), method: 'welch' };
  const df = (va + vb) ** 2 / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  const q = studentTQuantile(0.975, df);
  return { value: d, lo: d - q * se, hi: d + q * se, n: Math.min(a.length, b.length), method: 'welch' };
}

/** True when two intervals share at least one point. */
export function overlaps(a: { lo: number; hi: number }, b: { lo: number; hi: number }): boolean {
  return a.lo <= b.hi && b.lo <= a.hi;
}
