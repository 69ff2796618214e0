import type * as tf from '@tensorflow/tfjs-core';

/**
 * One batch of training tensors, the single batch type of albert-ts (produced by `@albert-ts/data`'s
 * `toBatchTensors` for pretraining and `exampleBatch` for classification, where P = 0). MLM targets use Google's
 * sparse form: P predictions per row at `mlmPositions`, padded with weight 0. Shapes are static.
 */
export interface PretrainingBatch {
  /** int32 `[B, T]`. */
  readonly inputIds: tf.Tensor2D;
  /** int32 `[B, T]`. */
  readonly tokenTypeIds: tf.Tensor2D;
  /** int32 or float32 `[B, T]`, 1 = real token, 0 = padding. */
  readonly attentionMask: tf.Tensor2D;
  /** int32 `[B, P]`: positions (0..T-1) of the MLM targets. */
  readonly mlmPositions: tf.Tensor2D;
  /** int32 `[B, P]`: original token ids at those positions. */
  readonly mlmIds: tf.Tensor2D;
  /** float32 `[B, P]`: 1 for a real target, 0 for padding. */
  readonly mlmWeights: tf.Tensor2D;
  /**
   * int32 `[B]`: SOP (1 = swapped) or NSP (1 = random next) label, -1 for none (objective `none`); the class label
   * (or float regression target) for classification heads.
   */
  readonly sentenceLabel: tf.Tensor1D;
}
