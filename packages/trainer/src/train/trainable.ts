import type * as tf from '@tensorflow/tfjs-core';

/** What {@link TrainableModel.compute} returns for one batch; tensors are owned by the caller's scope. */
export interface ComputeResult {
  /** The scalar loss to minimise. */
  readonly loss: tf.Scalar;
  /** Loss per objective, logged as `<name>_loss` (e.g. `{ mlm, sop }`). */
  readonly losses?: Readonly<Record<string, tf.Scalar>>;
  /** Scalar metrics, logged as named (e.g. `{ mlm_accuracy }`). */
  readonly metrics?: Readonly<Record<string, tf.Scalar>>;
}

/**
 * Anything `train` can train: a loss for a batch and the variables to update. `AlbertForPreTraining` (core) is
 * one, with any embedding, sharing strategy and heads; a user's model only needs these two methods.
 */
export interface TrainableModel<B> {
  /** Loss (and optional per-objective losses and metrics) of one batch; dropout when `training`. */
  compute(batch: B, options: { training: boolean; dropoutSeed?: number }): ComputeResult;
  /** The trainable variables by a stable name (names key the optimizer state and checkpoints). */
  namedParameters(): Map<string, tf.Variable>;
}
