import * as tf from '@tensorflow/tfjs-core';
import { type AlbertConfig, validateConfig } from '../config/albert-config.js';
import type { EmbeddingLayer, EmbeddingModule } from '../interfaces/embedding.js';
import type { SharingStrategy } from '../interfaces/sharing.js';
import { additiveMask } from '../layers/attention.js';
import { createApplyContext } from '../params/apply-context.js';
import { ParameterStore } from '../params/parameter-store.js';
import { configSharing } from './grouped.js';
import { AlbertEncoder } from './encoder.js';
import { AlbertPooler } from './pooler.js';
import { planSharing, type SharingPlan } from './sharing-plan.js';

/** Options of {@link createAlbert}. */
export interface AlbertModelOptions {
  /** Embedding block recipe, e.g. `factorized()` from `@albert-ts/embeddings`. */
  readonly embeddings: EmbeddingModule;
  /** Cross-layer sharing; default: the config's `num_hidden_groups` / `inner_group_num` (HF semantics). */
  readonly sharing?: SharingStrategy;
  /** Seed of the truncated-normal initializer (default 0). */
  readonly seed?: number;
  /** Build the pooler (default true, like HF `AlbertModel`). */
  readonly addPoolingLayer?: boolean;
}

/** Inputs of {@link AlbertModel.apply}. */
export interface AlbertInputs {
  /** int32 `[B, T]`. */
  readonly inputIds: tf.Tensor2D;
  /** int32 `[B, T]`; zeros when absent. */
  readonly tokenTypeIds?: tf.Tensor2D;
  /** `[B, T]` 1/0; all ones when absent. */
  readonly attentionMask?: tf.Tensor2D;
}

/** Options of {@link AlbertModel.apply}. */
export interface ApplyOptions {
  /** Enables dropout (default false). */
  readonly training?: boolean;
  /** Also return `hiddenStates` (L + 1 entries) (default false). */
  readonly outputHiddenStates?: boolean;
  /** Seed of the dropout masks (default 0). */
  readonly dropoutSeed?: number;
  /** Also return `attentions`, the attention probabilities of every block (HF `output_attentions`; default false). */
  readonly outputAttentions?: boolean;
}

/** Outputs of {@link AlbertModel.apply}; the caller owns (and disposes) every tensor. */
export interface AlbertOutputs {
  /** `[B, T, H]`. */
  readonly lastHiddenState: tf.Tensor3D;
  /** `[B, H]`; absent without a pooler. */
  readonly poolerOutput?: tf.Tensor2D;
  /** L + 1 entries `[B, T, H]`: the projected embeddings, then every layer application. */
  readonly hiddenStates?: tf.Tensor3D[];
  /**
   * L × innerGroupNum entries `[B, heads, T, T]`: softmax(QKᵀ/√d + mask) of every attention block in order, before
   * dropout (HF's `attentions` in eval mode); only with `outputAttentions`.
   */
  readonly attentions?: tf.Tensor4D[];
}

/**
 * An ALBERT encoder (HF `AlbertModel` semantics, transformers v4.36.2): embeddings → E→H projection → L shared
 * post-LN transformer layers → tanh pooler on position 0. Create with {@link createAlbert}.
 */
export class AlbertModel {
  /** The validated config. */
  readonly config: AlbertConfig;
  /** Names of the embedding module and sharing strategy, for logs. */
  readonly embeddingModule: EmbeddingModule;
  readonly sharingStrategy: SharingStrategy;
  /** The evaluated sharing (slots per part, slot of each layer, inner repeat). */
  readonly sharingPlan: SharingPlan;
  /** Owner of the variables. */
  readonly store: ParameterStore;
  readonly embeddings: EmbeddingLayer;
  readonly encoder: AlbertEncoder;
  readonly pooler?: AlbertPooler;

  constructor(config: AlbertConfig, options: AlbertModelOptions) {
    this.config = validateConfig({ ...config });
    this.embeddingModule = options.embeddings;
    this.sharingStrategy = options.sharing ?? configSharing(this.config);
    this.sharingPlan = planSharing(this.sharingStrategy, this.config.numHiddenLayers, this.config.innerGroupNum);
    this.store = new ParameterStore(this.config.initializerRange, options.seed ?? 0);
    try {
      this.embeddings = options.embeddings.build(this.config, this.store);
      this.encoder = new AlbertEncoder(this.store, this.config, this.sharingPlan);
      if (options.addPoolingLayer ?? true) this.pooler = new AlbertPooler(this.store, this.config.hiddenSize);
    } catch (e) {
      this.store.dispose();
      throw e;
    }
  }

  /** Word-embedding table `[V, E]` (the MLM decoder is tied to it). */
  get wordEmbeddings(): tf.Variable {
    return this.embeddings.wordEmbeddings;
  }

  /** Runs the encoder. Returns only tensors the caller owns; nothing else is kept. */
  apply(inputs: AlbertInputs, opts: ApplyOptions = {}): AlbertOutputs {
    const ctx = createApplyContext({ training: opts.training, dropoutSeed: opts.dropoutSeed });
    return tf.tidy(() => {
      const { inputIds } = inputs;
      const mask2d = inputs.attentionMask ?? tf.onesLike(inputIds);
      const mask = additiveMask(mask2d); // [B, 1, 1, T]
      const embedded = this.embeddings.embed({ inputIds, tokenTypeIds: inputs.tokenTypeIds }, ctx); // [B, T, E]
      const hidden0 = this.embeddings.project(embedded); // [B, T, E] -> [B, T, H]
      const attentions: tf.Tensor4D[] | undefined = opts.outputAttentions ? [] : undefined;
      const layers = this.encoder.apply(hidden0, mask, ctx, attentions);
      const lastHiddenState = layers[layers.length - 1];
      const out: {
        lastHiddenState: tf.Tensor3D; poolerOutput?: tf.Tensor2D; hiddenStates?: tf.Tensor3D[]; attentions?: tf.Tensor4D[];
      } = { lastHiddenState };
      if (this.pooler) out.poolerOutput = this.pooler.apply(lastHiddenState);
      if (opts.outputHiddenStates) out.hiddenStates = [hidden0, ...layers];
      if (attentions) out.attentions = attentions;
      return out;
    });
  }

  /** Unique trainable variables by canonical name (HF `AlbertModel` names, Linear weights `[in, out]`). */
  namedParameters(): Map<string, tf.Variable> {
    return this.store.named();
  }

  /** Number of parameters from the live variables (shared ones once). */
  countParameters(): number {
    return this.store.count();
  }

  /** Disposes every variable. */
  dispose(): void {
    this.store.dispose();
  }
}

/** Builds an {@link AlbertModel}: `createAlbert(config, { embeddings: factorized(), sharing: allShared() })`. */
export function createAlbert(config: AlbertConfig, options: AlbertModelOptions): AlbertModel {
  return new AlbertModel(config, options);
}
