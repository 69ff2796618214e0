import { type AlbertConfig, validateConfig } from '../config/albert-config.js';
import type { EmbeddingModule, EmbeddingParamCount } from '../interfaces/embedding.js';
import type { Objective } from '../interfaces/objective.js';
import type { SharingStrategy } from '../interfaces/sharing.js';
import { configSharing } from '../model/grouped.js';
import { planSharing } from '../model/sharing-plan.js';

/** Options of {@link countParams}. */
export interface CountParamsOptions {
  /** Overrides `config.embeddingSize` (E). */
  readonly embeddingSize?: number;
  /** Cross-layer sharing; default: the config's groups. */
  readonly sharing?: SharingStrategy;
  /**
   * `always` (default, HF): the E→H projection always exists; `auto` (Google): skipped when E = H.
   * Ignored when `embeddings` is given (the module decides).
   */
  readonly projection?: 'auto' | 'always';
  /** An embedding module to count instead of the standard factorized embedding. */
  readonly embeddings?: EmbeddingModule;
  /** `none`: HF `AlbertModel` (pooler included); `pretraining`: `AlbertForPreTraining` (MLM + SOP, tied decoder once). */
  readonly head?: 'none' | 'pretraining';
  /** Heads to count instead of `head` (e.g. `[mlm(), nsp()]`). */
  readonly objectives?: readonly Objective[];
  /** Count the pooler (default true). */
  readonly addPoolingLayer?: boolean;
}

/** Analytic parameter counts, split like HF's modules. */
export interface ParamCounts {
  readonly total: number;
  /** `albert.embeddings`: word, position, token type tables + LayerNorm. */
  readonly embeddings: number;
  /** `albert.encoder`: the E→H projection + all unique layer parameters. */
  readonly encoder: number;
  /** `albert.pooler`. */
  readonly pooler: number;
  /** Objective heads (tied decoder weight not counted). */
  readonly heads: number;
}

/** Standard factorized embedding count (word V×E + position P×E + type T×E + LayerNorm 2E; projection E×H + H). */
export function factorizedEmbeddingCount(config: AlbertConfig, projection: 'auto' | 'always' = 'always'):
EmbeddingParamCount {
  const { vocabSize: v, maxPositionEmbeddings: p, typeVocabSize: t, embeddingSize: e, hiddenSize: h } = config;
  const skip = projection === 'auto' && e === h;
  return { embeddings: (v + p + t) * e + 2 * e, projection: skip ? 0 : e * h + h };
}

/** Parameters of one AlbertAttention (4 H×H Linear + LayerNorm). */
export function attentionParamCount(config: AlbertConfig): number {
  const h = config.hiddenSize;
  return 4 * (h * h + h) + 2 * h;
}

/** Parameters of one AlbertFeedForward (H→I, I→H, LayerNorm). */
export function ffnParamCount(config: AlbertConfig): number {
  const { hiddenSize: h, intermediateSize: i } = config;
  return h * i + i + i * h + h + 2 * h;
}

/** HF MLM head (dense H→E, LayerNorm E, decoder bias V; decoder weight tied) + SOP classifier (H→2). */
export function pretrainingHeadsCount(config: AlbertConfig): number {
  const { hiddenSize: h, embeddingSize: e, vocabSize: v } = config;
  return h * e + e + 2 * e + v + (2 * h + 2);
}

/**
 * Parameter count from the config and options alone (no tensors). Equals `countParameters()` of the model the same
 * options build. Throws {@link ConfigError} on an invalid config or strategy.
 */
export function countParams(config: AlbertConfig, opts: CountParamsOptions = {}): ParamCounts {
  const c = validateConfig({ ...config, ...(opts.embeddingSize !== undefined ? { embeddingSize: opts.embeddingSize } : {}) });
  const plan = planSharing(opts.sharing ?? configSharing(c), c.numHiddenLayers, c.innerGroupNum);
  const emb = opts.embeddings ? opts.embeddings.countParams(c) : factorizedEmbeddingCount(c, opts.projection);
  const layers = plan.innerGroupNum * (plan.slots.attention * attentionParamCount(c) + plan.slots.ffn * ffnParamCount(c));
  const pooler = opts.addPoolingLayer ?? true ? c.hiddenSize * c.hiddenSize + c.hiddenSize : 0;
  let heads = 0;
  if (opts.objectives) {
    for (const o of opts.objectives) heads += o.countParams(c);
  } else if (opts.head === 'pretraining') {
    heads = pretrainingHeadsCount(c);
  }
  const encoder = emb.projection + layers;
  return { total: emb.embeddings + encoder + pooler + heads, embeddings: emb.embeddings, encoder, pooler, heads };
}
