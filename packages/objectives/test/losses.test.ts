import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@albert-ts/core';
import { accuracy, crossEntropy, crossEntropyPerRow, gatherPositions, mlmTargetsFromLabels, weightedCrossEntropy } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Logits, labels and reference CE values computed with Python's math module.
const logits = [[2.0, 0.5, -1.0], [0.1, 0.2, 0.3], [-2, 3, 1]];
const labels = [0, 2, 1];
const ref = [0.24131129665715703, 1.001942848229244, 0.13284523372757537];

describe('losses', () => {
  it('per-row, mean and weighted cross-entropy match hand computation', () => {
    tf.tidy(() => {
      const l = tf.tensor2d(logits);
      const y = tf.tensor1d(labels, 'int32');
      Array.from(crossEntropyPerRow(l, y).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(ref[i], 6));
      expect(crossEntropy(l, y).dataSync()[0]).toBeCloseTo(0.4586997928713255, 6);
      // HF MLM semantics: mean over non-ignored rows only (row 1 ignored).
      expect(weightedCrossEntropy(l, y, tf.tensor1d([1, 0, 1])).dataSync()[0]).toBeCloseTo(0.1870782651923662, 6);
      expect(weightedCrossEntropy(l, y, tf.tensor1d([0, 0, 0])).dataSync()[0]).toBe(0);
    });
  });

  it('accuracy (plain and weighted)', () => {
    tf.tidy(() => {
      const l = tf.tensor2d(logits);
      const y = tf.tensor1d(labels, 'int32');
      expect(accuracy(l, y).dataSync()[0]).toBeCloseTo(1, 6); // argmax = [0, 2, 1]
      expect(accuracy(l, tf.tensor1d([0, 0, 0], 'int32')).dataSync()[0]).toBeCloseTo(1 / 3, 6);
      expect(accuracy(l, tf.tensor1d([1, 2, 0], 'int32'), tf.tensor1d([1, 1, 0])).dataSync()[0]).toBeCloseTo(0.5, 6);
    });
  });

  it('gathers rows at positions', () => {
    tf.tidy(() => {
      const h = tf.tensor3d([[[0, 0], [1, 1], [2, 2]], [[10, 10], [11, 11], [12, 12]]]);
      const g = gatherPositions(h, tf.tensor2d([[2, 0], [1, 1]], undefined, 'int32'));
      expect(g.arraySync()).toEqual([[[2, 2], [0, 0]], [[11, 11], [11, 11]]]);
    });
  });
});

describe('mlmTargetsFromLabels', () => {
  it('turns HF -100 labels into padded sparse targets', () => {
    expect(mlmTargetsFromLabels([[-100, 5, -100, 7], [9, -100, -100, -100]])).toEqual({
      positions: [[1, 3], [0, 0]], ids: [[5, 7], [9, 0]], weights: [[1, 1], [1, 0]],
    });
    expect(mlmTargetsFromLabels([[-100, 5]], 3).positions).toEqual([[1, 0, 0]]);
    expect(() => mlmTargetsFromLabels([[1, 2, 3]], 2)).toThrow(/maxPredictions=2/);
  });
});
