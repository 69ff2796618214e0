import * as tf from '@tensorflow/tfjs-core';

/**
 * Weighted accuracy `Σ w·[argmax(logits) = label] / Σ w` (0 when every weight is 0): `[N, C]`, `[N]`, `[N]` →
 * scalar. Without weights, plain accuracy.
 */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D, weights?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const correct = tf.cast(tf.equal(tf.argMax(logits, -1), tf.cast(labels, 'int32')), 'float32'); // [N]
    if (!weights) return tf.mean(correct) as tf.Scalar;
    const w = tf.cast(weights, 'float32');
    return tf.div(tf.sum(tf.mul(correct, w)), tf.maximum(tf.sum(w), 1e-12)) as tf.Scalar;
  });
}
