import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  flatten, HF_ALBERT_FIXTURES, hfFixtureBatchArrays, leakedTensors, maxAbsDiff, readHfAlbertFixture, shapeOf,
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

  it('leakedTensors counts tensors left behind', async () => {
    await useTestBackend('cpu');
    let kept: tf.Tensor | undefined;
    expect(await leakedTensors(() => { kept = tf.ones([2]); })).toBe(1);
    kept!.dispose();
    expect(await leakedTensors(() => tf.tidy(() => { tf.ones([2]); }))).toBe(0);
  });
});

describe('hf-albert fixtures', () => {
  it('lists and reads every fixture', () => {
    expect(HF_ALBERT_FIXTURES).toEqual(expect.arrayContaining(['tiny_groups', 'tiny_inner2', 'tiny_shared']));
    const f = readHfAlbertFixture('tiny_shared');
    expect(f.safetensors.byteLength).toBeGreaterThan(8);
    const a = hfFixtureBatchArrays(f);
    const T = f.inputs.input_ids[0].length;
    expect(a.mlmPositions[0]).toEqual(Array.from({ length: T }, (_, i) => i));
    expect(a.mlmWeights.flat().reduce((x, y) => x + y, 0)).toBe(f.labels.labels.flat().filter((v) => v !== -100).length);
  });
});

describe('wasm test backend', () => {
  it('has UnsortedSegmentSum (the gradient of gather), equal to cpu', async () => {
    const run = () => tf.tidy(() => Array.from(tf.unsortedSegmentSum(
      tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]), tf.tensor1d([2, 0, 2, 5], 'int32'), 4).dataSync()));
    await useTestBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const wasm = run();
    await useTestBackend('cpu');
    expect(wasm).toEqual(run());
    expect(wasm).toEqual([3, 4, 0, 0, 6, 8, 0, 0]); // segment 5 is out of range: dropped
  });
});
