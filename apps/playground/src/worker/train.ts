// Training in the playground: @albert-ts/trainer's `train()` with the playground's schedule (10% warmup, linear
// decay to 0 over the run), on batches of the bundled corpus. The worker, the parity harness (wasm vs webgpu loss
// tracking) and the throughput script all train through this one function.
import type { PretrainingBatch } from '@albert-ts/core';
import { createOptimizer, type OptimizerName, type StepInfo, train, type TrainableModel, type TrainResult } from '@albert-ts/trainer';

export interface TrainSettings {
  steps: number;
  /** Peak learning rate. */
  learningRate: number;
  optimizer: OptimizerName;
  /** Dropout seed of the run. */
  seed: number;
  /** Tokens of one batch, for tokens/s. */
  tokensPerBatch: number;
  /** Stops the run between two steps (status `interrupted`). */
  signal?: AbortSignal;
  onStep?: (info: StepInfo) => void;
}

/** Warmup steps of a run: 10% of it (the recipes' default), rounded down. */
const warmupSteps = (steps: number): number => Math.floor(steps / 10);

/**
 * Trains `model` on `batches` with the trainer's `train()` and a fresh optimizer (disposed afterwards); the model's
 * weights change in place.
 */
export async function trainModel(
  model: TrainableModel<PretrainingBatch>, batches: { next(): PretrainingBatch }, s: TrainSettings,
): Promise<TrainResult> {
  const optimizer = createOptimizer(s.optimizer);
  try {
    return await train(model, batches, {
      optimizer,
      schedule: { learningRate: s.learningRate, totalSteps: s.steps, warmupSteps: warmupSteps(s.steps) },
      seed: s.seed,
      tokensPerBatch: s.tokensPerBatch,
      ...(s.signal !== undefined ? { signal: s.signal } : {}),
      ...(s.onStep !== undefined ? { onStep: s.onStep } : {}),
    });
  } finally {
    optimizer.dispose();
  }
}
