import { TrainerError } from '../errors.js';

/** Linear warmup followed by polynomial (default linear) decay to `endLearningRate` at `totalSteps`. */
export interface ScheduleOptions {
  /** Peak learning rate (`init_lr`). */
  learningRate: number;
  /** Number of optimizer steps over which the rate decays to `endLearningRate`. */
  totalSteps: number;
  /** Steps of linear warmup from 0 (default 0: none). */
  warmupSteps?: number;
  /** Decay power, default 1 (linear). */
  power?: number;
  /** Final rate, default 0. */
  endLearningRate?: number;
}

/** Checks a schedule; throws TrainerError naming the bad field. */
export function validateSchedule(o: ScheduleOptions): void {
  if (!(Number.isFinite(o.learningRate) && o.learningRate > 0)) {
    throw new TrainerError(`lr: ${o.learningRate} must be a positive finite number`);
  }
  if (!(Number.isInteger(o.totalSteps) && o.totalSteps > 0)) {
    throw new TrainerError(`steps: ${o.totalSteps} must be a positive integer`);
  }
  const w = o.warmupSteps ?? 0;
  if (!(Number.isInteger(w) && w >= 0)) throw new TrainerError(`warmup: ${w} must be a non-negative integer`);
  // A warmup longer than the run would never reach the peak rate (the decay branch would not take over).
  if (w > o.totalSteps) throw new TrainerError(`warmup: ${w} is longer than the run (steps: ${o.totalSteps})`);
}

/**
 * The learning rate for optimizer step `step` (0-based, the value of TF's `global_step` before the update), as
 * google-research/albert `create_optimizer` computes it: `polynomial_decay(init_lr, step, total, end, power)`,
 * replaced by `init_lr * step / warmup` while `step < warmup`.
 */
export function learningRateAt(step: number, o: ScheduleOptions): number {
  const power = o.power ?? 1;
  const end = o.endLearningRate ?? 0;
  const warmup = o.warmupSteps ?? 0;
  const clamped = Math.min(step, o.totalSteps);
  const decayed = (o.learningRate - end) * Math.pow(1 - clamped / o.totalSteps, power) + end;
  if (warmup > 0 && step < warmup) return (o.learningRate * step) / warmup;
  return decayed;
}
