import type * as tf from '@tensorflow/tfjs-core';
import type { NamedArray } from './slots.js';

/**
 * Hyper-parameters shared by LAMB and both AdamWs. Defaults: β1 0.9, β2 0.999, weight decay 0.01 for all; ε 1e-8 for
 * torch's `AdamW`, 1e-6 (google-research/albert's `create_optimizer`) for `AdamWeightDecay` and `Lamb`.
 */
export interface AdamFamilyOptions {
  /** First-moment decay, default 0.9. */
  beta1?: number;
  /** Second-moment decay, default 0.999. */
  beta2?: number;
  /** Added to `sqrt(v)` (`sqrt(v̂)` with bias correction); default: the optimizer's. */
  epsilon?: number;
  /** Decoupled weight decay added to the update, default 0.01. */
  weightDecayRate?: number;
  /** Parameter-name patterns exempt from weight decay (LAMB: also from the trust ratio). Default LayerNorm/bias. */
  excludeFromWeightDecay?: readonly RegExp[];
}

/**
 * An optimizer over named `tf.Variable`s. The learning rate is passed per step (the schedule lives outside), so
 * the optimizer state is only the moment slots, which export/import as named float32 arrays for checkpoints.
 */
export interface Optimizer {
  /** `'adamw'`, `'adamw-uncorrected'`, `'lamb'` or your own: recorded in checkpoints. */
  readonly name: string;
  /**
   * The hyper-parameters that define the update (β1, β2, ε, weight decay, ...): recorded in checkpoints, and a
   * resume with different values is refused.
   */
  readonly hyperparameters: Readonly<Record<string, number>>;
  /** Applies one update: `params[name] -= f(grads[name])`. Names without a gradient are left alone. */
  applyGradients(params: Map<string, tf.Variable>, grads: Map<string, tf.Tensor>, learningRate: number): void;
  /** Optimizer state as named arrays: `<param>/adam_m`, `<param>/adam_v` (and `<param>/step` for torch's AdamW). */
  exportSlots(): Map<string, NamedArray>;
  /** Restores slots exported by {@link exportSlots}; `shapes` (param name → shape) validates them. */
  importSlots(slots: Map<string, NamedArray>, shapes?: Map<string, number[]>): void;
  /** Frees the slot variables. */
  dispose(): void;
}
