import { PipelineError } from './errors.js';
import { type FeatureExtractionOptions, type Features, featureExtraction } from './feature-extraction.js';
import { type FillMaskOptions, type FillMaskResult, fillMask } from './fill-mask.js';
import { type PipelineModel, pipelineModelFromFiles } from './model.js';
import type { HfFiles } from '@albert-ts/core';
import {
  type QuestionAnsweringInput, type QuestionAnsweringOptions, type QuestionAnsweringResult, questionAnswering,
} from './question-answering.js';
import {
  type ClassificationResult, type TextClassificationInput, type TextClassificationOptions, textClassification,
} from './text-classification.js';
import {
  type EntityGroup, type TokenClassificationOptions, type TokenClassificationResult, tokenClassification,
} from './token-classification.js';

/** What every pipeline has besides being callable. */
export interface PipelineBase {
  readonly task: string;
  /** The loaded directory: tokenizer, model and config. */
  readonly model: PipelineModel;
  /** Frees the model's tensors. */
  dispose(): void;
}

export interface FillMaskPipeline extends PipelineBase {
  (inputs: string | readonly string[], options?: FillMaskOptions): Promise<FillMaskResult[] | FillMaskResult[][] | (FillMaskResult[] | FillMaskResult[][])[]>;
}
export interface TextClassificationPipeline extends PipelineBase {
  (inputs: TextClassificationInput | readonly TextClassificationInput[], options?: TextClassificationOptions):
    Promise<ClassificationResult[] | ClassificationResult | (ClassificationResult | ClassificationResult[])[]>;
}
export interface TokenClassificationPipeline extends PipelineBase {
  (inputs: string | readonly string[], options?: TokenClassificationOptions):
    Promise<(TokenClassificationResult | EntityGroup)[] | (TokenClassificationResult | EntityGroup)[][]>;
}
export interface QuestionAnsweringPipeline extends PipelineBase {
  (question: string, context: string, options?: QuestionAnsweringOptions):
    Promise<QuestionAnsweringResult | QuestionAnsweringResult[]>;
  (inputs: QuestionAnsweringInput | readonly QuestionAnsweringInput[], options?: QuestionAnsweringOptions):
    Promise<QuestionAnsweringResult | QuestionAnsweringResult[] | (QuestionAnsweringResult | QuestionAnsweringResult[])[]>;
}
export interface FeatureExtractionPipeline extends PipelineBase {
  (inputs: string | readonly string[], options?: FeatureExtractionOptions): Promise<Features | Features[]>;
}

/** Pipelines by task name (HF's names; `sentiment-analysis` and `ner` are HF's aliases). */
export interface PipelineTypes {
  'fill-mask': FillMaskPipeline;
  'text-classification': TextClassificationPipeline;
  'sentiment-analysis': TextClassificationPipeline;
  'token-classification': TokenClassificationPipeline;
  'ner': TokenClassificationPipeline;
  'question-answering': QuestionAnsweringPipeline;
  'feature-extraction': FeatureExtractionPipeline;
}
export type PipelineTask = keyof PipelineTypes;

/** Call options of each task (the defaults given to {@link pipeline}). */
export interface PipelineOptionTypes {
  'fill-mask': FillMaskOptions;
  'text-classification': TextClassificationOptions;
  'sentiment-analysis': TextClassificationOptions;
  'token-classification': TokenClassificationOptions;
  'ner': TokenClassificationOptions;
  'question-answering': QuestionAnsweringOptions;
  'feature-extraction': FeatureExtractionOptions;
}

export const PIPELINE_TASKS: readonly PipelineTask[] = [
  'fill-mask', 'text-classification', 'sentiment-analysis', 'token-classification', 'ner', 'question-answering',
  'feature-extraction',
];

function withBase<F extends object>(fn: F, task: string, model: PipelineModel): F & PipelineBase {
  return Object.assign(fn, { task, model, dispose: () => model.dispose() });
}

/**
 * A pipeline for `task` on a loaded model (`pipelineModelFromFiles`, or `loadPipelineModel(dir)` of
 * `@albert-ts/pipelines/node`): a function that runs it, with `defaults` applied to every call (a call's own options
 * win). A model whose head does not fit the task is refused (and disposed).
 */
export function createPipeline<T extends PipelineTask>(task: T, m: PipelineModel, defaults: PipelineOptionTypes[T] = {}):
  PipelineTypes[T] {
  try {
    checkTaskName(task);
  } catch (err) {
    m.dispose();
    throw err;
  }
  const merged = <O extends object>(o: O | undefined): O => ({ ...defaults, ...(o ?? {}) }) as O;
  let fn: object;
  switch (task) {
    case 'fill-mask':
      fn = (inputs: string | readonly string[], o?: FillMaskOptions) => fillMask(m, inputs, merged(o));
      break;
    case 'text-classification':
    case 'sentiment-analysis':
      fn = (inputs: TextClassificationInput | readonly TextClassificationInput[], o?: TextClassificationOptions) =>
        textClassification(m, inputs, merged(o));
      break;
    case 'token-classification':
    case 'ner':
      fn = (inputs: string | readonly string[], o?: TokenClassificationOptions) => tokenClassification(m, inputs, merged(o));
      break;
    case 'question-answering':
      fn = (a: string | QuestionAnsweringInput | readonly QuestionAnsweringInput[], b?: string | QuestionAnsweringOptions,
        c?: QuestionAnsweringOptions) => (typeof a === 'string'
        ? questionAnswering(m, { question: a, context: typeof b === 'string' ? b : '' }, merged(c))
        : questionAnswering(m, a, merged(typeof b === 'object' ? b : undefined)));
      break;
    default:
      fn = (inputs: string | readonly string[], o?: FeatureExtractionOptions) => featureExtraction(m, inputs, merged(o));
  }
  try {
    checkTask(task, m);
  } catch (err) {
    m.dispose();
    throw err;
  }
  return withBase(fn, task, m) as PipelineTypes[T];
}

/**
 * Loads the files of an HF model directory held in memory (file name → bytes: `config.json`, `model.safetensors`,
 * `spiece.model`, `tokenizer_config.json`; e.g. from a file picker) for a task, as transformers.js's
 * `pipeline(task, model)` and HF's `pipeline(task, model=dir)` do, and returns a function that runs it. In Node,
 * `pipeline(task, dir)` of `@albert-ts/pipelines/node` reads a directory. The backend is whatever TensorFlow.js uses:
 * choose it first (e.g. `useBackend('wasm')` from `@albert-ts/backends`).
 */
export async function pipeline<T extends PipelineTask>(task: T, files: HfFiles, defaults: PipelineOptionTypes[T] = {}):
  Promise<PipelineTypes[T]> {
  checkTaskName(task);
  return createPipeline(task, pipelineModelFromFiles(files), defaults);
}

/** Refuses a task name that is not one of {@link PIPELINE_TASKS} (before any model is loaded). */
export function checkTaskName(task: string): asserts task is PipelineTask {
  if (!(PIPELINE_TASKS as readonly string[]).includes(task)) {
    throw new PipelineError(`unknown task ${JSON.stringify(task)}; tasks: ${PIPELINE_TASKS.join(', ')}`);
  }
}

/** Refuses, at load time, a directory whose head does not fit the task. */
function checkTask(task: PipelineTask, m: PipelineModel): void {
  const architecture = m.model.task.architecture;
  const needs: Partial<Record<PipelineTask, string[]>> = {
    'fill-mask': ['AlbertForMaskedLM', 'AlbertForPreTraining'],
    'text-classification': ['AlbertForSequenceClassification'],
    'sentiment-analysis': ['AlbertForSequenceClassification'],
    'token-classification': ['AlbertForTokenClassification'],
    'ner': ['AlbertForTokenClassification'],
    'question-answering': ['AlbertForQuestionAnswering'],
  };
  const want = needs[task];
  const hasMlm = m.model.task.objectives.some((o) => o.name === 'mlm');
  if (want !== undefined && (!want.includes(architecture) || (task === 'fill-mask' && !hasMlm))) {
    throw new PipelineError(`${task} needs ${want.join(' or ')}${task === 'fill-mask' ? ' with predictions.*' : ''}, `
      + `but ${m.dir} is an ${architecture}`);
  }
}
