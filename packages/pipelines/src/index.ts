// @albert-ts/pipelines: HF / transformers.js-style pipelines over ALBERT model directories. The main entry is
// browser-safe (model files in memory); `@albert-ts/pipelines/node` reads directories from disk.
export { PipelineError } from './errors.js';
export {
  pipeline, createPipeline, PIPELINE_TASKS, type PipelineTask, type PipelineTypes, type PipelineOptionTypes, type PipelineBase,
  type FillMaskPipeline, type TextClassificationPipeline, type TokenClassificationPipeline,
  type QuestionAnsweringPipeline, type FeatureExtractionPipeline,
} from './pipeline.js';
export { pipelineModel, pipelineModelFromFiles, type PipelineModel, type PipelineModelParts } from './model.js';
export type { CallOptions } from './options.js';
export { fillMask, type FillMaskOptions, type FillMaskResult } from './fill-mask.js';
export {
  textClassification, type TextClassificationInput, type TextClassificationOptions, type ClassificationResult,
} from './text-classification.js';
export {
  tokenClassification, type TokenClassificationOptions, type TokenClassificationResult, type EntityGroup,
} from './token-classification.js';
export {
  questionAnswering, type QuestionAnsweringInput, type QuestionAnsweringOptions, type QuestionAnsweringResult,
} from './question-answering.js';
export { featureExtraction, type FeatureExtractionOptions, type Features } from './feature-extraction.js';
