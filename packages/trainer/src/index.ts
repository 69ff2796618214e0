// @albert-ts/trainer: training as a library. `train(model, batches, options)` trains anything with
// `compute(batch, { training })` and `namedParameters()`; optimizers, schedules, checkpointers, metrics and hooks
// plug into it. Browser-safe: Node-only parts (disk checkpoints, signals, metrics files) are in
// `@albert-ts/trainer/node`. Depends on @albert-ts/core and @tensorflow/tfjs-core only, and never picks a backend.
export { TrainerError, NonFiniteLossError, CheckpointSaveError, checkInteger, checkPositive } from './errors.js';

export {
  train, type TrainOptions, type TrainResult, type TrainRun, type StepHook, type StepInfo,
} from './train/train.js';
export { trainStep, trainStepAsync, type TrainStepOptions, type TrainStepResult } from './train/train-step.js';
export type { TrainableModel, ComputeResult } from './train/trainable.js';
export { type Batches, type BatchSource, toBatchSource, disposeBatch } from './train/batches.js';
export {
  type Checkpointer, type SavedCheckpoint, memoryCheckpoints, checkpointFiles, savedCheckpoint,
} from './train/checkpointer.js';
export { type ModelFormat, PARAMETERS_FILE, parametersFormat, hfFormat, defaultFormat } from './train/model-format.js';
export {
  TRAINER_STATE_DIR, TRAINER_STATE_VERSION, type TrainerState, trainerStateFiles, parseTrainerState,
  checkResumeCompatible,
} from './state/train-state.js';
export { SEED_KEYS } from './seeds.js';

export type { Optimizer, AdamFamilyOptions } from './optim/optimizer.js';
export { Lamb } from './optim/lamb.js';
export { AdamW, AdamWeightDecay } from './optim/adamw.js';
export { OPTIMIZER_NAMES, createOptimizer, type OptimizerName } from './optim/create.js';
export { DEFAULT_DECAY_EXCLUSIONS, usesWeightDecay } from './optim/decay.js';
export { MomentSlots, type NamedArray } from './optim/slots.js';
export { learningRateAt, validateSchedule, rateAt, type Schedule, type ScheduleOptions } from './optim/schedule.js';
export { clipByGlobalNorm, clipGlobalNorm } from './optim/clip.js';
export { GradientAccumulator } from './optim/accumulate.js';
export { namedGradients, gradientTensors, type GradientTensors } from './loop/gradients.js';

export {
  collapseMonitor, CollapseError, COLLAPSE_METRICS, type CollapseMonitorOptions, type CollapseReport,
} from './monitor/collapse.js';

export { MetricsLog, type MetricsRecord, type MetricsSink } from './metrics/log.js';
export { classificationMetrics, type ClassificationMetrics } from './metrics/classification.js';
export {
  createProgressReporter, formatProgress, formatDuration, type ProgressInfo, type ProgressReporter, type TextOutput,
} from './metrics/progress.js';
