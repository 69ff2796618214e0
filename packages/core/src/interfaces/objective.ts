import type * as tf from '@tensorflow/tfjs-core';
import type { AlbertConfig } from '../config/albert-config.js';
import type { ApplyContext } from '../params/apply-context.js';
import type { ParameterFactory } from '../params/parameter-store.js';
import type { PretrainingBatch } from './batch.js';

/** Encoder outputs an objective head consumes. */
export interface EncoderOutputs {
  /** `[B, T, H]`. */
  readonly lastHiddenState: tf.Tensor3D;
  /** `[B, H]` = tanh(pooler(h[:, 0])); absent when the model has no pooler. */
  readonly poolerOutput?: tf.Tensor2D;
}

/** What an objective computes on one batch. */
export interface ObjectiveResult {
  /** Scalar loss (already averaged as the objective defines). */
  readonly loss: tf.Scalar;
  /** Scalar metrics, e.g. `{ mlm_accuracy }`. */
  readonly metrics: Readonly<Record<string, tf.Scalar>>;
}

/** Everything a head may need when it allocates its variables. */
export interface ObjectiveBuildContext {
  readonly config: AlbertConfig;
  readonly params: ParameterFactory;
  /** `[V, E]`, for tied decoders. */
  readonly wordEmbeddings: tf.Variable;
}

/**
 * A pretraining or fine-tuning objective: a recipe (stateless) whose `build` allocates a head. Implementations:
 * `mlm()`, `sop()`, `nsp()` in `@albert-ts/objectives`; users can add their own.
 */
export interface Objective<H extends ObjectiveHead = ObjectiveHead> {
  /** Unique within a model; prefixes the loss/metric names in logs. */
  readonly name: string;
  /**
   * Whether the head reads `poolerOutput` (sequence classification, SOP/NSP, multiple choice). A model built for
   * it gets a pooler, as HF builds `AlbertFor<Task>` (default false).
   */
  readonly usesPooler?: boolean;
  /** Parameters the head adds (tied tensors not counted), from the config alone. */
  countParams(config: AlbertConfig): number;
  /** Allocates the head's variables (canonical HF names, e.g. `predictions.dense.weight`). */
  build(ctx: ObjectiveBuildContext): H;
}

/** A built head with its own variables. */
export interface ObjectiveHead {
  readonly name: string;
  /** Loss and metrics for a batch. Runs inside the caller's `tf.tidy`/gradient scope. */
  compute(outputs: EncoderOutputs, batch: PretrainingBatch, ctx: ApplyContext): ObjectiveResult;
}
