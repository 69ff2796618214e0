import { describe, expect, it } from 'vitest';
import type { PretrainingInstance } from '@albert-ts/data';
import { mlmMajorityBaseline } from '../src/index.js';

const inst = (maskedLmIds: number[]): PretrainingInstance => ({
  inputIds: [], tokenTypeIds: [], maskedLmPositions: maskedLmIds.map((_, i) => i + 1), maskedLmIds, label: 0, doc: 'd', docB: 'd',
});

describe('mlmMajorityBaseline', () => {
  it('is the share of the most frequent target over every instance', () => {
    // targets: 7 ×3, 5 ×2, 9 ×1 → 7 wins with 3 of 6
    expect(mlmMajorityBaseline([inst([7, 5]), inst([7, 9, 5]), inst([7])])).toEqual({ tokenId: 7, count: 3, total: 6, rate: 0.5 });
  });

  it('breaks ties towards the smaller id and handles no targets', () => {
    expect(mlmMajorityBaseline([inst([9, 4]), inst([4, 9])]).tokenId).toBe(4);
    expect(mlmMajorityBaseline([inst([])])).toEqual({ tokenId: -1, count: 0, total: 0, rate: 0 });
    expect(mlmMajorityBaseline([])).toEqual({ tokenId: -1, count: 0, total: 0, rate: 0 });
  });
});
