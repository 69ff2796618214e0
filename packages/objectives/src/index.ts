export { mlm, MlmHead, type MlmOptions } from './mlm.js';
export { sop, nsp, SentenceHead, type SentenceOptions } from './sentence.js';
export { crossEntropy, crossEntropyPerRow, weightedCrossEntropy } from './losses.js';
export { accuracy } from './metrics.js';
export { classifierDiagnostics, type ClassifierDiagnostic } from './classifier-diagnostics.js';
export { gatherPositions } from './gather-positions.js';
export { mlmTargetsFromLabels, type MlmTargets } from './mlm-targets.js';
export type { Objective, ObjectiveHead, ObjectiveResult, PretrainingBatch } from '@albert-ts/core';
export {
  sequenceClassification, SequenceClassificationHead, type SequenceClassificationOptions, type SequenceProblemType,
} from './sequence-classification.js';
export {
  tokenClassification, TokenClassificationHead, type TokenClassificationOptions, ignoreIndexCrossEntropy, IGNORE_INDEX,
} from './token-classification.js';
export {
  questionAnswering, QuestionAnsweringHead, type QuestionAnsweringOptions, type SpanLogits, type SpanLosses,
  spanCrossEntropy,
} from './question-answering.js';
export { multipleChoice, MultipleChoiceHead, type MultipleChoiceOptions, flattenChoices } from './multiple-choice.js';
export { createMaskedLmModel, maskedLmFromHf, maskedLmForward, type MaskedLmOutputs } from './masked-lm.js';
export {
  createTaskModel, taskModelFromHf, headUsesPooler, type TaskModelOptions, type TaskModelFromHfOptions,
} from './task-model.js';
export {
  HF_ARCHITECTURES, hfTaskOf, hfTaskModelFromHf, hfTaskOutputs, type HfArchitecture, type HfTask, type HfTaskModel,
  type HfTaskModelOptions,
} from './hf-task.js';
