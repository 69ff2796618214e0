// @albert-ts/recipes: ALBERT pretraining and fine-tuning as short recipes on top of @albert-ts/trainer's `train`.
// Each recipe wires the packages together (corpus and instances from data, tokenizer, model from a config with
// embeddings/sharing/objectives) and calls `train`; the backend is the application's choice.
export { pretrain, type PretrainOptions, type PretrainResult } from './pretrain/pretrain.js';
export { defaultPretrainRecipe, SMALL_MODEL_MAX_HIDDEN_SIZE, type PretrainRecipe } from './pretrain/default-recipe.js';
export {
  pretrainingData, tokenizeCorpus, pretrainingInputs, pretrainingBatches, heldOutEvalSets, evalSetsPrefix, type PretrainingData,
  type PretrainingDataOptions, type TokenizedCorpus, type TokenizeCorpusOptions, type PretrainingInputs,
  type PretrainingInputsOptions, type EvalSetOptions,
} from './pretrain/data.js';
export { pretrainingModel, type PretrainingModel } from './pretrain/model.js';
export {
  evaluatePretraining, formatEvalLine, sentenceMetricName, SENTENCE_METRIC_NAMES, type EvalMetrics, type EvalSets,
  type EvaluateOptions, type SentenceMetricName,
} from './pretrain/evaluate.js';
export { mlmMajorityBaseline, type MlmBaseline } from './pretrain/baseline.js';
export { wilson, aboveWithDisjointIntervals, Z95, type Interval } from './interval.js';
export {
  finetune, evaluateClassifier, FINETUNE_TRAINING_DIR, type FinetuneOptions, type FinetuneResult, type EvalOptions,
} from './finetune/finetune.js';
export {
  planEvaluations, evalSeconds, DEFAULT_EVAL_SHARE, MAX_PLANNED_EVALS, MIN_PLANNED_PAIRS, PLAN_AFTER_STEPS, type EvalPlan,
  type EvalCosts,
} from './pretrain/eval-plan.js';
export {
  loadClassifier, newClassifier, evaluateExamples, type ClassifierEvaluation, CLASSIFIER_HEAD,
} from './finetune/classifier.js';
export { progressHook, type ProgressOption } from './progress.js';
export { tInterval, studentTQuantile } from './t-interval.js';
export {
  compareInit, type CompareInitOptions, type CompareInitResult, type CompareInitArm, type CompareInitRun, type Initialisation,
} from './compare/compare-init.js';
export { formatCompareInit } from './compare/format.js';
export { loadPretrainingModel } from './pretrain/load.js';
export { sweep, bestRates, type SweepOptions, type SweepCell, type SweepResult } from './sweep/sweep.js';
export { renderSweepMarkdown } from './sweep/sweep-report.js';
