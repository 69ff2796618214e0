import * as tf from '@tensorflow/tfjs-core';

/** Names of the {@link classifierDiagnostics} metrics. */
export type ClassifierDiagnostic = 'pooled_spread' | 'prediction_entropy' | 'top_class_fraction';

/**
 * Collapse diagnostics of a classifier on one batch (scalars, for a training monitor):
 *
 * - `pooled_spread`: how much the pooled `[CLS]` representation (the classifier's input) varies across the batch:
 *   the mean over hidden units of the standard deviation across rows. 0 when every input gets the same
 *   representation (and for a single row); it also falls to 0 when the pooler's tanh saturates.
 * - `prediction_entropy`: mean over rows of the entropy of the predicted class distribution (nats).
 * - `top_class_fraction`: share of rows predicted as the most frequent predicted class (1 = one class for all).
 *
 * `pooled` is `[B, H]`, `logits` `[B, C]`.
 */
export function classifierDiagnostics(pooled: tf.Tensor2D, logits: tf.Tensor2D): Record<ClassifierDiagnostic, tf.Scalar> {
  return tf.tidy(() => {
    const [rows, classes] = logits.shape;
    const { variance } = tf.moments(pooled, 0); // [H] over the batch
    const logP = tf.logSoftmax(logits); // [B, C]
    const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logP), logP), -1)); // [B]
    const counts = tf.sum(tf.oneHot(tf.argMax(logits, -1), classes), 0); // [C]
    return {
      pooled_spread: tf.mean(tf.sqrt(variance)) as tf.Scalar,
      prediction_entropy: tf.mean(entropy) as tf.Scalar,
      top_class_fraction: tf.div(tf.max(counts), rows) as tf.Scalar,
    };
  });
}
