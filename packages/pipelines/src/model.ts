import * as tf from '@tensorflow/tfjs-core';
import type { AlbertConfig, AlbertOutputs } from '@albert-ts/core';
import { readHfDirectory } from '@albert-ts/core/node';
import { factorized } from '@albert-ts/embeddings';
import { type HfTaskModel, hfTaskModelFromHf } from '@albert-ts/objectives';
import type { AlbertEncoding, AlbertTokenizer } from '@albert-ts/tokenizer';
import { loadTokenizerDir } from '@albert-ts/tokenizer/node';
import { PipelineError } from './errors.js';

/** A model directory loaded for a pipeline: the tokenizer and the model with its HF head. */
export interface PipelineModel {
  /** Where it was loaded from. */
  readonly dir: string;
  readonly tokenizer: AlbertTokenizer;
  readonly model: HfTaskModel;
  readonly config: AlbertConfig;
  dispose(): void;
}

/**
 * Loads an HF model directory (`config.json`, `model.safetensors` or its shards, `spiece.model` with
 * `tokenizer_config.json`) with the head of the class recorded in `config.json`.
 */
export function loadPipelineModel(dir: string): PipelineModel {
  if (typeof dir !== 'string' || dir === '') throw new PipelineError(`model must be the path of a model directory, got ${JSON.stringify(dir)}`);
  const files = readHfDirectory(dir);
  const tokenizer = loadTokenizerDir(dir);
  const model = hfTaskModelFromHf(files.config, files.tensors, { embeddings: factorized() });
  return { dir, tokenizer, model, config: model.albert.config, dispose: () => model.dispose() };
}

/** A tensor's values, read back from the backend. */
export interface TensorData {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** One batch: its rows (unpadded), the padded length `T`, and the outputs `compute` returned. */
export interface BatchOutputs {
  readonly rows: readonly AlbertEncoding[];
  /** Index of the batch's first row among all rows. */
  readonly offset: number;
  readonly length: number;
  readonly outputs: Record<string, TensorData>;
}

/** Batch inputs as int32 `[B, T]` tensors. */
export interface BatchTensors {
  readonly inputIds: tf.Tensor2D;
  readonly tokenTypeIds: tf.Tensor2D;
  readonly attentionMask: tf.Tensor2D;
}

/**
 * Runs the backbone (eval mode) on `rows` in batches of `batchSize`, each padded to its longest row, and reads back
 * what `compute(outputs, inputs, offset)` returns (`offset`: index of the batch's first row). Rows longer than
 * `max_position_embeddings` are refused.
 */
export async function runBatches(
  m: PipelineModel, rows: readonly AlbertEncoding[], batchSize: number,
  compute: (out: AlbertOutputs, inputs: BatchTensors, offset: number) => Record<string, tf.Tensor>,
): Promise<BatchOutputs[]> {
  const max = m.config.maxPositionEmbeddings;
  rows.forEach((r, i) => {
    if (r.inputIds.length > max) {
      throw new PipelineError(`input ${i} is ${r.inputIds.length} tokens, more than the model's max_position_embeddings=${max}; `
        + 'pass truncation: true (and max_length)');
    }
  });
  const results: BatchOutputs[] = [];
  for (let offset = 0; offset < rows.length; offset += batchSize) {
    const batch = m.tokenizer.padBatch(rows.slice(offset, offset + batchSize), { padding: 'longest' });
    const b = batch.length;
    const t = batch[0]!.inputIds.length;
    const tensors = tf.tidy(() => {
      const matrix = (key: keyof AlbertEncoding) => tf.tensor2d(batch.flatMap((r) => r[key]), [b, t], 'int32');
      const inputs = { inputIds: matrix('inputIds'), tokenTypeIds: matrix('tokenTypeIds'), attentionMask: matrix('attentionMask') };
      return compute(m.model.albert.apply(inputs), inputs, offset);
    });
    try {
      const outputs: Record<string, TensorData> = {};
      for (const [name, x] of Object.entries(tensors)) outputs[name] = { data: (await x.data()) as Float32Array, shape: x.shape };
      results.push({ rows: rows.slice(offset, offset + batchSize), offset, length: t, outputs });
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }
  return results;
}
