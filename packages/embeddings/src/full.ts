import { type AlbertConfig, ConfigError, type EmbeddingModule, type ParameterFactory } from '@albert-ts/core';
import { factorized, type ProjectionMode } from './factorized.js';

/** Options of {@link full}. */
export interface FullOptions {
  /** Default `auto`: no E→H projection (BERT / Google ALBERT with E = H). `always` keeps HF's H×H projection. */
  readonly projection?: ProjectionMode;
}

/**
 * Full (unfactorized, BERT-style) embedding: tables at width H (requires `embedding_size == hidden_size`),
 * LayerNorm, dropout; by default no projection.
 */
export function full(options: FullOptions = {}): EmbeddingModule {
  const mode = options.projection ?? 'auto';
  const inner = factorized({ projection: mode });
  const check = (c: AlbertConfig) => {
    if (c.embeddingSize !== c.hiddenSize) {
      throw new ConfigError('embedding_size', c.embeddingSize,
        `must equal hidden_size=${c.hiddenSize} for full embeddings`);
    }
  };
  return {
    name: mode === 'auto' ? 'full' : 'full(projection=always)',
    countParams(c: AlbertConfig) {
      check(c);
      return inner.countParams(c);
    },
    build(c: AlbertConfig, params: ParameterFactory) {
      check(c);
      return inner.build(c, params);
    },
  };
}
