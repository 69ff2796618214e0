// Fill-mask with the current weights: @albert-ts/pipelines' fill-mask (HF's `FillMaskPipeline` semantics and result
// shape `{score, token, token_str, sequence}`) run on the slot's live model, so training shows up immediately.
import type { AlbertForPreTraining } from '@albert-ts/core';
import { fillMask as fillMaskPipeline, type FillMaskResult as Candidate, type PipelineModel } from '@albert-ts/pipelines';
import type { AlbertTokenizer } from '@albert-ts/tokenizer';
import type { FillMaskResult } from '../protocol.js';

/** The slot's model as a pipeline model (it stays the slot's: disposing the view frees nothing). */
function pipelineView(model: AlbertForPreTraining, tokenizer: AlbertTokenizer): PipelineModel {
  const task = { architecture: 'AlbertForPreTraining', objectives: [], addPoolingLayer: model.albert.pooler !== undefined } as const;
  return {
    dir: 'the playground model', tokenizer, config: model.config,
    model: { task, albert: model.albert, model, dispose: () => undefined },
    dispose: () => undefined,
  };
}

/** Top-`topK` tokens for every `[MASK]` of `text` (truncated to the model's positions), with softmax scores. */
export async function fillMask(
  model: AlbertForPreTraining, tokenizer: AlbertTokenizer, text: string, topK: number,
): Promise<FillMaskResult> {
  const start = performance.now();
  const maxLength = model.config.maxPositionEmbeddings;
  const r = await fillMaskPipeline(pipelineView(model, tokenizer), text, { top_k: topK, truncation: true, max_length: maxLength });
  const seconds = (performance.now() - start) / 1000;
  // One mask gives a list of candidates, several a list per mask.
  const masks = (Array.isArray(r[0]) ? r : [r]) as Candidate[][];
  const tokens = tokenizer.encode(text, undefined, { truncation: true, maxLength }).inputIds.length;
  return { masks, tokensPerSecond: tokens / Math.max(seconds, 1e-9) };
}
