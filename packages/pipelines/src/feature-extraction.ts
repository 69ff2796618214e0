import * as tf from '@tensorflow/tfjs-core';
import { PipelineError } from './errors.js';
import { type PipelineModel, runBatches } from './model.js';
import { type CallOptions, commonOptions } from './options.js';

/** Options of a feature-extraction call: HF's, plus transformers.js's `pooling` and `normalize`. */
export interface FeatureExtractionOptions extends CallOptions {
  /** `none` (default, HF): every token's vector; `mean`: the mean over the attended tokens; `cls`: `[CLS]`'s. */
  pooling?: 'none' | 'mean' | 'cls';
  /** Scale each returned vector to unit L2 norm (default false). */
  normalize?: boolean;
}

/** `[1][T][H]` token vectors (HF's `last_hidden_state` per input), or `[1][H]` when pooled. */
export type Features = number[][][] | number[][];

function unit(v: number[]): number[] {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return n === 0 ? v : v.map((x) => x / n);
}

/**
 * The backbone's `last_hidden_state` for each input, like HF's `feature-extraction` pipeline (any ALBERT
 * directory): `[1][T][H]` nested arrays per input (special tokens included), or `[1][H]` with `pooling`; for a list
 * of texts, one such array per text.
 */
export async function featureExtraction(
  m: PipelineModel, inputs: string | readonly string[], options: FeatureExtractionOptions = {},
): Promise<Features | Features[]> {
  const texts = typeof inputs === 'string' ? [inputs] : inputs;
  if (!Array.isArray(texts) || texts.length === 0 || texts.some((t) => typeof t !== 'string')) {
    throw new PipelineError('feature-extraction expects a string or a non-empty list of strings');
  }
  const pooling = options.pooling ?? 'none';
  if (!['none', 'mean', 'cls'].includes(pooling)) throw new PipelineError(`pooling must be none, mean or cls, got ${JSON.stringify(pooling)}`);
  const { batchSize, truncation, maxLength } = commonOptions(options);
  const rows = texts.map((t) => m.tokenizer.encode(t, undefined, { truncation, maxLength }));
  const batches = await runBatches(m, rows, batchSize, (out) => ({ hidden: tf.clone(out.lastHiddenState) }));
  const h = m.config.hiddenSize;
  const results = batches.flatMap((batch) => batch.rows.map((row, i) => {
    const { data } = batch.outputs.hidden!;
    const vectors = row.inputIds.map((_, j) => Array.from(data.subarray((i * batch.length + j) * h, (i * batch.length + j + 1) * h)));
    let out: number[][];
    if (pooling === 'cls') out = [vectors[0]!];
    else if (pooling === 'mean') out = [vectors[0]!.map((_, k) => vectors.reduce((s, v) => s + v[k]!, 0) / vectors.length)];
    else out = vectors;
    if (options.normalize === true) out = out.map(unit);
    return pooling === 'none' ? [out] : out;
  }));
  return typeof inputs === 'string' ? results[0]! : results;
}
