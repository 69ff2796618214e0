import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  flatten, HF_ALBERT_FIXTURES, hfFixtureBatchArrays, expectNoLeaks, maxAbsDiff, readHfAlbertFixture, shapeOf,
  useTestBackend,
} from '../src/index.js';

describe('tensor helpers', () => {
  it('flatten, shapeOf and maxAbsDiff', async () => {
    await useTestBackend('cpu');
    expect(flatten([[1, 2], [3, 4]])).toEqual([1, 2, 3, 4]);
    expect(shapeOf([[[1], [2]], [[3], [4]]])).toEqual([2, 2, 1]);
    const t = tf.tensor2d([[1, 2], [3, 4.5]]);
    expect(maxAbsDiff(t, [[1, 2], [3, 4]])).toBe(0.5);
    expect(() => maxAbsDiff(t, [[1, 2, 3, 4]])).toThrow(/shape mismatch/);
    expect(maxAbsDiff([Number.NaN], [0], [1])).toBe(Infinity);
    t.dispose();
  });

  it('expectNoLeaks passes through results and fails on leaked or unexpectedly freed tensors', async () => {
    await useTestBackend('cpu');
    expect(expectNoLeaks(() => tf.tidy(() => tf.sum(tf.ones([2])).dataSync()[0]))).toBe(2);
    let kept: tf.Tensor | undefined;
    expect(() => expectNoLeaks(() => { kept = tf.ones([2]); })).toThrow(/leaked 1/);
    await expect(expectNoLeaks(async () => { kept!.dispose(); })).rejects.toThrow(/freed 1/);
    expect(await expectNoLeaks(async () => 7)).toBe(7);
    const t = expectNoLeaks(() => tf.ones([3]), { keeps: 1 });
    t.dispose();
  });
});
