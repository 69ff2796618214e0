import { describe, expect, it } from 'vitest';
import { newcombeDiff, overlaps, studentTQuantile, tInterval, welchDiff, wilson } from '../src/stats.js';

// Reference values: Newcombe (1998), "Two-sided confidence intervals for the single proportion" (Table I) and
// "Interval estimation for the difference between independent proportions" (Table II, method 10); Student t
// quantiles from standard tables.
describe('wilson', () => {
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i matches Newcombe 1998', (k, n, lo, hi) => {
    const e = wilson(k, n);
    expect(e.value).toBeCloseTo(k / n, 12);
    expect(e.lo).toBeCloseTo(lo, 4);
    expect(e.hi).toBeCloseTo(hi, 4);
  });
  it('rejects impossible counts and handles n=0', () => {
    expect(() => wilson(5, 4)).toThrow(RangeError);
    expect(wilson(0, 0)).toMatchObject({ lo: 0, hi: 1, n: 0 });
  });
});

describe('newcombeDiff', () => {
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
  ])('%i/%i - %i/%i matches method 10', (a, n, b, m, lo, hi) => {
    const d = newcombeDiff(wilson(a, n), wilson(b, m));
    expect(d.lo).toBeCloseTo(lo, 4);
    expect(d.hi).toBeCloseTo(hi, 3);
  });
});

describe('t intervals', () => {
  it.each([
    [1, 12.7062047],
    [2, 4.30265273],
    [4, 2.77644511],
    [10, 2.22813885],
    [30, 2.04227246],
  ])('t(0.975, %i) = %f', (df, q) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(q, 6);
  });
  it('mean of three seeds', () => {
    // mean 2, sd 1, half-width 4.30265 / sqrt(3)
    const e = tInterval([1, 2, 3]);
    expect(e.value).toBe(2);
    expect(e.hi - e.value).toBeCloseTo(4.30265273 / Math.sqrt(3), 6);
    expect(tInterval([0.5]).lo).toBe(-Infinity);
  });
  it('welch difference (hand computed: df=4, se=sqrt(2/3))', () => {
    const d = welchDiff([1, 2, 3], [4, 5, 6]);
    expect(d.value).toBe(-3);
    expect(d.lo).toBeCloseTo(-3 - 2.77644511 * Math.sqrt(2 / 3), 6);
    expect(d.hi).toBeCloseTo(-3 + 2.77644511 * Math.sqrt(2 / 3), 6);
  });
  it('overlaps', () => {
    expect(overlaps({ lo: 0, hi: 1 }, { lo: 1, hi: 2 })).toBe(true);
    expect(overlaps({ lo: 0, hi: 0.99 }, { lo: 1, hi: 2 })).toBe(false);
  });
});
