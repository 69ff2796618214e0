import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-row cross-entropy `-log softmax(logits)[label]`: `[N, C]` logits, int32 `[N]` labels → `[N]`.
 * Labels must be in [0, C) (use a weight of 0 for ignored rows, with any valid label).
 */
export function crossEntropyPerRow(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits, -1); // [N, C]
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]); // [N, C]
    return tf.neg(tf.sum(tf.mul(logp, onehot), -1)) as tf.Tensor1D;
  });
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
