import * as tf from '@tensorflow/tfjs-core';
import { TrainerError } from '../errors.js';
import { gradientTensors } from '../loop/gradients.js';
import { GradientAccumulator } from '../optim/accumulate.js';
import { clipGlobalNorm } from '../optim/clip.js';
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

/** A step computed up to its update: the scalars to read back, then `finish` with their values. */
interface PendingStep {
  /** Each micro-batch's loss and metrics, in order, then the global gradient norm. */
  readonly scalars: readonly tf.Scalar[];
  /** Applies the update when the loss is finite; `values` are the scalars' values. */
  finish(values: readonly number[]): TrainStepResult;
  /** Frees everything the step holds (always call it). */
  dispose(): void;
}

function computeStep<B>(model: TrainableModel<B>, microBatches: readonly B[], options: TrainStepOptions): PendingStep {
  if (microBatches.length === 0) throw new TrainerError('trainStep: no micro-batch given', { field: 'microBatches', value: 0 });
  const params = options.parameters ?? model.namedParameters();
  const accumulator = new GradientAccumulator();
  const perMicro: { loss: tf.Scalar; metrics: Record<string, tf.Scalar> }[] = [];
  let clipped: ReturnType<typeof clipGlobalNorm> | undefined;
  const dispose = (): void => {
    accumulator.dispose();
    // Metrics may alias the loss (a single head's loss is both): dispose each tensor once.
    tf.dispose([...new Set<tf.Tensor>(perMicro.flatMap((m) => [m.loss, ...Object.values(m.metrics)]))]);
    if (clipped !== undefined) tf.dispose([clipped.globalNorm, ...clipped.grads.values()]);
  };
  try {
    microBatches.forEach((batch, micro) => {
      const r = gradientTensors(params, () => {
        const out = model.compute(batch, { ...options.computeOptions, training: true, dropoutSeed: options.dropoutSeeds?.[micro] ?? 0 });
        const metrics: Record<string, tf.Scalar> = { ...out.metrics };
        for (const [name, loss] of Object.entries(out.losses ?? {})) metrics[`${name}_loss`] = loss;
        return { loss: out.loss, metrics };
      });
      perMicro.push({ loss: r.loss, metrics: r.metrics });
      accumulator.add(r.grads);
      tf.dispose([...r.grads.values()]);
    });
    const grads = accumulator.take();
    clipped = clipGlobalNorm(grads, options.clipNorm ?? 1.0);
    tf.dispose([...grads.values()]);
  } catch (e) {
    dispose();
    throw e;
  }
  const { grads, globalNorm } = clipped;
  return {
    scalars: [...perMicro.flatMap((m) => [m.loss, ...Object.values(m.metrics)]), globalNorm],
    finish(values) {
      let i = 0;
      let lossSum = 0;
      const sums: Record<string, number> = {};
      for (const m of perMicro) {
        lossSum += values[i++];
        for (const k of Object.keys(m.metrics)) sums[k] = (sums[k] ?? 0) + values[i++];
      }
      const gradNorm = values[i];
      const n = microBatches.length;
      const loss = lossSum / n;
      const metrics = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n]));
      if (!Number.isFinite(loss)) return { loss, metrics, gradNorm: NaN, applied: false };
      options.optimizer.applyGradients(params, grads, options.learningRate);
      return { loss, metrics, gradNorm, applied: true };
    },
    dispose,
  };
}

/**
 * One optimizer step: loss and gradients of each micro-batch (dropout on), their mean, global-norm clipping, one
 * optimizer update. A non-finite loss leaves every weight alone (`applied: false`). The batches stay owned by the
 * caller; no tensor is left behind. The step's numbers are read back synchronously; `train` runs the same step
 * with {@link trainStepAsync}.
 */
export function trainStep<B>(model: TrainableModel<B>, microBatches: readonly B[], options: TrainStepOptions): TrainStepResult {
  const step = computeStep(model, microBatches, options);
  try {
    return step.finish(step.scalars.map((t) => t.dataSync()[0]));
  } finally {
    step.dispose();
  }
}

/**
 * {@link trainStep} with the step's numbers (each micro-batch's loss and metrics, the gradient norm) read back
 * together and asynchronously before the update, as `train` runs it: a GPU backend is never read synchronously
 * (slow on webgpu, and zeros on the SwiftShader adapter). Same operations in the same order, so the same values.
 */
export async function trainStepAsync<B>(
  model: TrainableModel<B>, microBatches: readonly B[], options: TrainStepOptions,
): Promise<TrainStepResult> {
  const step = computeStep(model, microBatches, options);
  try {
    const values = await Promise.all(step.scalars.map((t) => t.data()));
    return step.finish(values.map((v) => v[0] as number));
  } finally {
    step.dispose();
  }
}
