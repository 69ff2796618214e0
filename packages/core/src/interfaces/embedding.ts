import type * as tf from '@tensorflow/tfjs-core';
import type { AlbertConfig } from '../config/albert-config.js';
import type { ApplyContext } from '../params/apply-context.js';
import type { ParameterFactory } from '../params/parameter-store.js';

/** Token inputs of an embedding layer. */
export interface EmbeddingInputs {
  /** int32 `[B, T]`. */
  readonly inputIds: tf.Tensor2D;
  /** int32 `[B, T]`; all zeros when absent. */
  readonly tokenTypeIds?: tf.Tensor2D;
}

/** Analytic parameter count of an embedding module. */
export interface EmbeddingParamCount {
  /** Word + position + token-type tables and the embedding LayerNorm (HF's `albert.embeddings`). */
  readonly embeddings: number;
  /** The E→H projection (`encoder.embedding_hidden_mapping_in`, counted in HF's `encoder`); 0 when skipped. */
  readonly projection: number;
}

/**
 * A recipe for the embedding block (e.g. `factorized()` from `@albert-ts/embeddings`). Stateless: `build`
 * allocates the variables of one model.
 */
export interface EmbeddingModule {
  /** Recorded in run logs and reports. */
  readonly name: string;
  /** Parameter count from the config alone (no tensors); equals what `build` allocates. */
  countParams(config: AlbertConfig): EmbeddingParamCount;
  /** Allocates the variables (canonical names `embeddings.*`, `encoder.embedding_hidden_mapping_in.*`). */
  build(config: AlbertConfig, params: ParameterFactory): EmbeddingLayer;
}

/** The built embedding block of one model. */
export interface EmbeddingLayer {
  /** Word-embedding table `[V, E]`; the MLM decoder is tied to it. */
  readonly wordEmbeddings: tf.Variable;
  /** Whether an E→H projection exists (false only for E = H with projection 'auto'). */
  readonly hasProjection: boolean;
  /** `[B, T]` ids → `[B, T, E]`: LayerNorm(word + position + token type), then dropout. */
  embed(inputs: EmbeddingInputs, ctx: ApplyContext): tf.Tensor3D;
  /** `[B, T, E]` → `[B, T, H]` (identity when there is no projection). */
  project(x: tf.Tensor3D): tf.Tensor3D;
}
