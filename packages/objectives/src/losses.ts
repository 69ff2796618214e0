import * as tf from '@tensorflow/tfjs-core';
import { softmaxCrossEntropy } from '@albert-ts/core';

/**
 * Per-row cross-entropy `-log softmax(logits)[label]`: `[N, C]` logits, int32 `[N]` labels → `[N]` (core's
 * `softmaxCrossEntropy`: one fused kernel where the backend has it). Labels must be in [0, C) (use a weight of 0
 * for ignored rows, with any valid label).
 */
export function crossEntropyPerRow(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return softmaxCrossEntropy(logits, labels);
}

/** Mean cross-entropy over all rows (torch `CrossEntropyLoss()`): `[N, C]`, `[N]` → scalar. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(crossEntropyPerRow(logits, labels)) as tf.Scalar);
}

/**
 * Weighted mean cross-entropy `Σ w·ce / Σ w` (HF MLM loss: mean over labels ≠ -100, i.e. weights 0/1).
 * Returns 0 when every weight is 0 (HF would return NaN).
 */
export function weightedCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, weights: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const w = tf.cast(weights, 'float32');
    const num = tf.sum(tf.mul(crossEntropyPerRow(logits, labels), w));
    return tf.div(num, tf.maximum(tf.sum(w), 1e-12)) as tf.Scalar;
  });
}
