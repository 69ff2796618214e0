import { describe, expect, it } from 'vitest';
import { studentTQuantile, tInterval, wilson } from '../src/index.js';

describe('tInterval (across seeds)', () => {
  it('uses the Student t quantile (table values) and the sample standard deviation', () => {
    // two-sided 95% quantiles from a t table (scipy.stats.t.ppf(0.975, df))
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736, 6);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302652730, 6);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776445105, 6);
    const t = tInterval([0.9, 0.95, 1.0]); // mean 0.95, sd 0.05
    expect(t.value).toBeCloseTo(0.95, 12);
    expect(t.hi - t.value).toBeCloseTo((4.302652730 * 0.05) / Math.sqrt(3), 6);
    expect(t.n).toBe(3);
  });

  it('one value says nothing about the spread across seeds', () => {
    expect(tInterval([0.7])).toEqual({ value: 0.7, lo: -Infinity, hi: Infinity, n: 1 });
  });
});

describe('wilson', () => {
  it('is the Wilson score interval (reference: 8 of 10 → [0.4902, 0.9433])', () => {
    const w = wilson(8, 10);
    expect(w.lo).toBeCloseTo(0.4902, 4);
    expect(w.hi).toBeCloseTo(0.9433, 4);
  });
});
