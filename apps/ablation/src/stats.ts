// Interval statistics used by the report: binomial (Wilson) intervals for one accuracy, Newcombe's interval for
// a difference of two accuracies, and Student-t intervals for means across seeds or tokens.
import { wilson as wilsonInterval } from '@albert-ts/recipes';

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

export { Z95 } from '@albert-ts/recipes';

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

/** Natural log of the gamma function (Lanczos approximation, g=7, n=9; ~1e-15 relative). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const xx = x - 1;
  let a = c[0];
  const t = xx + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for the regularized incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** CDF of Student's t distribution with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Quantile of Student's t distribution (bisection on the CDF; df may be fractional, as in Welch). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError(`studentTQuantile: need 0<p<1, df>0, got p=${p} df=${df}`);
  if (p === 0.5) return 0;
  let lo = -1e6;
  let hi = 1e6;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
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
