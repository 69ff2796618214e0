import * as tf from '@tensorflow/tfjs-core';
import {
  type AlbertConfig, type AlbertOutputs, HF_CONFIG_FILE, type HfFiles, type HfTensor, parseHfConfigJson, readHfWeights,
} from '@albert-ts/core';
import { factorized } from '@albert-ts/embeddings';
import { type HfTaskModel, hfTaskModelFromHf } from '@albert-ts/objectives';
import { type AlbertEncoding, type AlbertTokenizer, tokenizerFromFiles } from '@albert-ts/tokenizer';
import { PipelineError } from './errors.js';

/** A model directory loaded for a pipeline: the tokenizer and the model with its HF head. */
export interface PipelineModel {
  /** Where it was loaded from (a path, or "the model files"). */
  readonly dir: string;
  readonly tokenizer: AlbertTokenizer;
  readonly model: HfTaskModel;
  readonly config: AlbertConfig;
  dispose(): void;
}

/** The parts of an HF model directory a pipeline needs, however they were read. */
export interface PipelineModelParts {
  /** `config.json`. */
  readonly config: Record<string, unknown>;
  /** The weights (`model.safetensors` or its shards). */
  readonly tensors: ReadonlyMap<string, HfTensor>;
  /** The tokenizer (`spiece.model` with `tokenizer_config.json`). */
  readonly tokenizer: AlbertTokenizer;
}

/** Builds the model of `parts` with the head of the HF class recorded in its `config.json`. */
export function pipelineModel(parts: PipelineModelParts, where: string): PipelineModel {
  const model = hfTaskModelFromHf(parts.config, parts.tensors, { embeddings: factorized() });
  return { dir: where, tokenizer: parts.tokenizer, model, config: model.albert.config, dispose: () => model.dispose() };
}

/**
 * Loads a model for a pipeline from the files of an HF directory held in memory (file name → bytes, e.g. from a
 * file picker): `config.json`, `model.safetensors` or its shards, `spiece.model` and `tokenizer_config.json`.
 */
export function pipelineModelFromFiles(files: HfFiles, where = 'the model files'): PipelineModel {
  if (!(files instanceof Map)) throw new PipelineError('model files must be a Map of file name to bytes');
  const config = files.get(HF_CONFIG_FILE);
  if (config === undefined) throw new PipelineError(`${where}: no ${HF_CONFIG_FILE}`);
  return pipelineModel({
    config: parseHfConfigJson(config),
    tensors: readHfWeights({ has: (n) => files.has(n), read: (n) => files.get(n)! }, where),
    tokenizer: tokenizerFromFiles(files),
  }, where);
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
