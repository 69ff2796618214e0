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

/** Checks a schedule; throws a {@link TrainerError} naming the bad field (`schedule.learningRate`, ...). */
export function validateSchedule(o: ScheduleOptions): void {
  const bad = (field: keyof ScheduleOptions, rule: string): never => {
    throw new TrainerError(`schedule.${field}: ${o[field]} ${rule}`, { field: `schedule.${field}`, value: o[field] });
  };
  if (!(Number.isFinite(o.learningRate) && o.learningRate > 0)) bad('learningRate', 'must be a positive finite number');
  if (!(Number.isInteger(o.totalSteps) && o.totalSteps > 0)) bad('totalSteps', 'must be a positive integer');
  const w = o.warmupSteps ?? 0;
  if (!(Number.isInteger(w) && w >= 0)) bad('warmupSteps', 'must be a non-negative integer');
  // A warmup longer than the run would never reach the peak rate (the decay branch would not take over).
  if (w > o.totalSteps) bad('warmupSteps', `is longer than the run (schedule.totalSteps: ${o.totalSteps})`);
  if (o.power !== undefined && !(Number.isFinite(o.power) && o.power > 0)) bad('power', 'must be a positive finite number');
  if (o.endLearningRate !== undefined && !(Number.isFinite(o.endLearningRate) && o.endLearningRate >= 0)) {
    bad('endLearningRate', 'must be a non-negative finite number');
  }
}

/** A learning-rate schedule: warmup + polynomial decay ({@link ScheduleOptions}), or any function of the step. */
export type Schedule = ScheduleOptions | ((step: number) => number);

/** The rate of `schedule` at optimizer step `step` (0-based). */
export function rateAt(schedule: Schedule, step: number): number {
  return typeof schedule === 'function' ? schedule(step) : learningRateAt(step, schedule);
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
