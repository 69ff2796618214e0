import * as tf from '@tensorflow/tfjs-core';
import { TrainerError } from '../errors.js';
import { namedGradients } from '../loop/gradients.js';
import { GradientAccumulator } from '../optim/accumulate.js';
import { clipByGlobalNorm } from '../optim/clip.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { TrainableModel } from './trainable.js';

/** Options of {@link trainStep}. */
export interface TrainStepOptions {
  readonly optimizer: Optimizer;
  /** Learning rate of this step. */
  readonly learningRate: number;
  /** Global-norm clip of the accumulated gradients (default 1.0, as google-research/albert). */
  readonly clipNorm?: number;
  /** Dropout seed of each micro-batch (default 0 for all). */
  readonly dropoutSeeds?: readonly number[];
  /** The variables to update (default `model.namedParameters()`). */
  readonly parameters?: Map<string, tf.Variable>;
  /** More options for `model.compute`, e.g. `{ heads: ['mlm'] }` to train only some heads of an ALBERT. */
  readonly computeOptions?: Readonly<Record<string, unknown>>;
}

/** Outcome of {@link trainStep}. */
export interface TrainStepResult {
  /** Mean loss over the micro-batches. */
  readonly loss: number;
  /** Mean of each metric (and `<name>_loss` per objective) over the micro-batches. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Global gradient norm before clipping (NaN when not applied). */
  readonly gradNorm: number;
  /** False when the loss was not finite: the gradients were discarded and no weight changed. */
  readonly applied: boolean;
}

/**
 * One optimizer step, exactly as `train` runs it: loss and gradients of each micro-batch (dropout on), their
 * mean, global-norm clipping, one optimizer update. A non-finite loss leaves every weight alone (`applied: false`).
 * The batches stay owned by the caller; no tensor is left behind.
 */
export function trainStep<B>(model: TrainableModel<B>, microBatches: readonly B[], options: TrainStepOptions): TrainStepResult {
  if (microBatches.length === 0) throw new TrainerError('trainStep: no micro-batch given', { field: 'microBatches', value: 0 });
  const params = options.parameters ?? model.namedParameters();
  const accumulator = new GradientAccumulator();
  try {
    let lossSum = 0;
    const sums: Record<string, number> = {};
    microBatches.forEach((batch, micro) => {
      const r = namedGradients(params, () => {
        const out = model.compute(batch, { ...options.computeOptions, training: true, dropoutSeed: options.dropoutSeeds?.[micro] ?? 0 });
        const metrics: Record<string, tf.Scalar> = { ...out.metrics };
        for (const [name, loss] of Object.entries(out.losses ?? {})) metrics[`${name}_loss`] = loss;
        return { loss: out.loss, metrics };
      });
      lossSum += r.loss;
      for (const [k, v] of Object.entries(r.metrics)) sums[k] = (sums[k] ?? 0) + v;
      accumulator.add(r.grads);
      tf.dispose([...r.grads.values()]);
    });
    const n = microBatches.length;
    const loss = lossSum / n;
    const metrics = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
    const grads = accumulator.take();
    if (!Number.isFinite(loss)) {
      tf.dispose([...grads.values()]);
      return { loss, metrics, gradNorm: NaN, applied: false };
    }
    const clipped = clipByGlobalNorm(grads, options.clipNorm ?? 1.0);
    tf.dispose([...grads.values()]);
    options.optimizer.applyGradients(params, clipped.grads, options.learningRate);
    tf.dispose([...clipped.grads.values()]);
    return { loss, metrics, gradNorm: clipped.globalNorm, applied: true };
  } finally {
    accumulator.dispose();
  }
}
