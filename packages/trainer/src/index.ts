// @albert-ts/trainer: optimizers, schedules, pretraining and fine-tuning loops, crash-safe checkpoints.
export { TrainerError } from './errors.js';

export type { Optimizer, AdamFamilyOptions } from './optim/optimizer.js';
export { Lamb } from './optim/lamb.js';
export { AdamW } from './optim/adamw.js';
export { createOptimizer, type OptimizerName } from './optim/create.js';
export { DEFAULT_DECAY_EXCLUSIONS, usesWeightDecay } from './optim/decay.js';
export { MomentSlots, type NamedArray } from './optim/slots.js';
export { learningRateAt, validateSchedule, type ScheduleOptions } from './optim/schedule.js';
export { clipByGlobalNorm } from './optim/clip.js';
export { GradientAccumulator } from './optim/accumulate.js';
export { namedGradients } from './loop/gradients.js';
export { SignalWatch } from './loop/signals.js';
export { stepSeed, SEED_KEYS } from './seeds.js';

export { MetricsLog, type MetricsRecord } from './metrics/jsonl.js';
export { classificationMetrics, type ClassificationMetrics } from './metrics/classification.js';
export {
  createProgressReporter, formatProgress, formatDuration, type ProgressInfo, type ProgressReporter,
} from './metrics/progress.js';

export {
  CHECKPOINTS_DIR, LATEST_FILE, checkpointName, listCheckpoints, latestCheckpoint, resolveModelDir,
  writeCheckpointDir, type CheckpointFile,
} from './checkpoint/layout.js';
export {
  TRAINER_STATE_DIR, TRAINER_STATE_VERSION, readTrainerState, trainerStateFiles, checkResumeCompatible,
  type TrainerState,
} from './checkpoint/trainer-state.js';
export {
  CONFIG_FILE, WEIGHTS_FILE, SPIECE_FILE, modelCheckpointFiles, readModelFiles, type ModelFiles,
} from './checkpoint/model-files.js';

export { selectBackend, BACKEND_NAMES } from './backend.js';
export { resolveModelConfig } from './setup/model-config.js';
export { loadCorpus, type CorpusSplits } from './setup/corpus.js';
export { loadTokenizer, trainTokenizer, pieceTokenizer, type LoadedTokenizer } from './setup/tokenizer.js';

export { pretrain, type PretrainOptions, type PretrainResult } from './pretrain/pretrain.js';
export { evaluatePretraining, type EvalMetrics, type EvalSets } from './pretrain/evaluate.js';
export { buildPretrainingSetup, forward, type PretrainingSetup } from './pretrain/model.js';
export {
  finetune, evaluateClassifier, loadClassifier, type FinetuneOptions, type FinetuneResult, type EvalOptions,
  type ClassifierModel,
} from './finetune/finetune.js';
