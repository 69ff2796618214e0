import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks, useTestBackend } from '@albert-ts/testing';
import { describe, expect, it } from 'vitest';
import { GeometryAccumulator } from '../src/index.js';

describe('GeometryAccumulator', () => {
  it('averages L2 distance and angle over non-padding tokens (hand computed)', async () => {
    await useTestBackend('cpu');
    await expectNoLeaks(async () => {
      // B=1, T=3, H=2. Token 2 is padding and must be ignored.
      const h0 = tf.tensor3d([[[1, 0], [0, 2], [100, 100]]]);
      // token 0: (1,0)->(0,1): L2 sqrt2, 90 deg. token 1: (0,2)->(0,4): L2 2, 0 deg.
      const h1 = tf.tensor3d([[[0, 1], [0, 4], [-100, 5]]]);
      // token 0: (0,1)->(0,-1): L2 2, 180 deg. token 1: (0,4)->(4,4): L2 4, 45 deg.
      const h2 = tf.tensor3d([[[0, -1], [4, 4], [3, 3]]]);
      const mask = tf.tensor2d([[1, 1, 0]]);
      const acc = new GeometryAccumulator();
      acc.add([h0, h1, h2], mask);
      const r = acc.result();
      // The asynchronous reads give the same sums, and a second batch accumulates.
      const twice = new GeometryAccumulator();
      await twice.addAsync([h0, h1, h2], mask);
      expect(twice.result()).toEqual(r);
      await twice.addAsync([h0, h1, h2], mask);
      expect(twice.result().map((l) => l.tokens)).toEqual([4, 4]);
      expect(twice.result()[0].l2).toBeCloseTo(r[0].l2, 6);
      expect(r).toHaveLength(2);
      expect(r[0].tokens).toBe(2);
      expect(r[0].l2).toBeCloseTo((Math.SQRT2 + 2) / 2, 5);
      expect(r[0].cosine_deg).toBeCloseTo(45, 3);
      expect(r[0].cosine_deg_sd).toBeCloseTo(Math.sqrt(2 * 45 * 45), 2); // values 90 and 0
      expect(r[1].l2).toBeCloseTo(3, 5);
      expect(r[1].cosine_deg).toBeCloseTo((180 + 45) / 2, 2);
      tf.dispose([h0, h1, h2, mask]);
    });
  });
});
