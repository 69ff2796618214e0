import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../src/index.js';

describe('gradient registration', () => {
  it('computes gradients of gather, matMul, softmax and sum in Node ESM', async () => {
    await tf.setBackend('cpu');
    const x = tf.variable(tf.tensor2d([[1, 2], [3, 4], [5, 6]]));
    const w = tf.tensor2d([[1, 0], [0, 2]]);
    const { value, grads } = tf.variableGrads(() =>
      tf.sum(tf.logSoftmax(tf.matMul(tf.gather(x, [0, 2, 2]), w))) as tf.Scalar);
    expect(value.dataSync()[0]).toBeLessThan(0);
    expect(grads[x.name].shape).toEqual([3, 2]);
    // Row 1 of x is never gathered: zero gradient.
    expect(Array.from(grads[x.name].dataSync()).slice(2, 4)).toEqual([0, 0]);
  });
});
