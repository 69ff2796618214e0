import { describe, expect, it } from 'vitest';
import { planBlockTranspose } from '../src/index.js';

describe('planBlockTranspose', () => {
  it('recognises 2-D, batched and attention-head transposes', () => {
    expect(planBlockTranspose([4, 5], [1, 0])).toEqual({ batch: 1, rows: 4, cols: 5, inner: 1 });
    expect(planBlockTranspose([2, 4, 5], [0, 2, 1])).toEqual({ batch: 2, rows: 4, cols: 5, inner: 1 });
    // [B, T, NH, dh] -> [B, NH, T, dh]
    expect(planBlockTranspose([8, 128, 4, 64], [0, 2, 1, 3])).toEqual({ batch: 8, rows: 128, cols: 4, inner: 64 });
    // merged axes: [a, b, c] -> [c, a, b] is a 2-D transpose of [a*b, c]
    expect(planBlockTranspose([2, 3, 5], [2, 0, 1])).toEqual({ batch: 1, rows: 6, cols: 5, inner: 1 });
    // size-1 axes are dropped
    expect(planBlockTranspose([1, 4, 1, 5], [3, 2, 1, 0])).toEqual({ batch: 1, rows: 4, cols: 5, inner: 1 });
    expect(planBlockTranspose([3, 4], [0, 1])).toEqual({ batch: 1, rows: 1, cols: 1, inner: 12 });
  });

  it('rejects permutations that are not one block swap', () => {
    expect(planBlockTranspose([2, 3, 4], [2, 1, 0])).toBeNull();
    expect(planBlockTranspose([2, 3, 4, 5], [1, 0, 3, 2])).toBeNull();
  });
});
