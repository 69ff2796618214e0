// Node entry of @albert-ts/pipelines (`@albert-ts/pipelines/node`): pipelines on model directories on disk.
import type { HfFiles } from '@albert-ts/core';
import { readHfDirectory } from '@albert-ts/core/node';
import { loadTokenizerDir } from '@albert-ts/tokenizer/node';
import { PipelineError } from '../errors.js';
import { type PipelineModel, pipelineModel, pipelineModelFromFiles } from '../model.js';
import {
  checkTaskName, createPipeline, type PipelineOptionTypes, type PipelineTask, type PipelineTypes,
} from '../pipeline.js';

/**
 * Loads an HF model directory (`config.json`, `model.safetensors` or its shards, `spiece.model` with
 * `tokenizer_config.json` and `special_tokens_map.json`) with the head of the class recorded in `config.json`.
 */
export function loadPipelineModel(dir: string): PipelineModel {
  if (typeof dir !== 'string' || dir === '') throw new PipelineError(`model must be the path of a model directory, got ${JSON.stringify(dir)}`);
  const { config, tensors } = readHfDirectory(dir);
  return pipelineModel({ config, tensors, tokenizer: loadTokenizerDir(dir) }, dir);
}

/**
 * Loads an HF model directory (or its files in memory) for a task, as transformers.js's `pipeline(task, model)` and
 * HF's `pipeline(task, model=dir)` do, and returns a function that runs it; `defaults` are options applied to every
 * call. The backend is whatever TensorFlow.js uses: choose it first (`useBackend('wasm')` of `@albert-ts/backends`).
 *
 * ```ts
 * const unmask = await pipeline('fill-mask', 'path/to/albert');
 * await unmask('The capital of France is [MASK].'); // [{score, token, token_str, sequence}, ...]
 * unmask.dispose();
 * ```
 */
export async function pipeline<T extends PipelineTask>(task: T, model: string | HfFiles, defaults: PipelineOptionTypes[T] = {}):
  Promise<PipelineTypes[T]> {
  checkTaskName(task);
  return createPipeline(task, typeof model === 'string' ? loadPipelineModel(model) : pipelineModelFromFiles(model), defaults);
}
