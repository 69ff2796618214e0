import * as tf from '@tensorflow/tfjs-core';
import {
  type AlbertConfig, type ApplyContext, ConfigError, type EmbeddingInputs, type EmbeddingLayer, type EmbeddingModule,
  type EmbeddingParamCount, LayerNorm, Linear, type ParameterFactory,
} from '@albert-ts/core';

/**
 * Identity on `x` `[N, E]` whose gradient is multiplied by `keep` `[N, 1]` (0/1): a lookup row with keep 0 sends
 * no gradient to its embedding row, as torch `nn.Embedding(padding_idx=...)` does.
 */
const maskLookupGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, keep, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([keep]);
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0]), tf.zerosLike(saved[0])] };
}) as (x: tf.Tensor, keep: tf.Tensor) => tf.Tensor;

/** `always` (HF): the E→H projection always exists. `auto` (Google): skipped when E = H. */
export type ProjectionMode = 'auto' | 'always';

/** Options of {@link factorized}. */
export interface FactorizedOptions {
  /** Default `always`, as HF `AlbertModel`. */
  readonly projection?: ProjectionMode;
}

/**
 * The built factorized embedding: `LayerNorm_E(word[ids] + token_type[tt] + position[0..T-1])` → dropout, then the
 * E→H Linear `encoder.embedding_hidden_mapping_in` (HF runs it at the start of the encoder).
 */
export class FactorizedEmbeddingLayer implements EmbeddingLayer {
  readonly wordEmbeddings: tf.Variable;
  readonly positionEmbeddings: tf.Variable;
  readonly tokenTypeEmbeddings: tf.Variable;
  readonly layerNorm: LayerNorm;
  readonly projection?: Linear;

  constructor(private readonly config: AlbertConfig, params: ParameterFactory, withProjection: boolean) {
    const e = config.embeddingSize;
    this.wordEmbeddings = params.create('embeddings.word_embeddings.weight', [config.vocabSize, e], 'normal');
    this.positionEmbeddings = params.create('embeddings.position_embeddings.weight',
      [config.maxPositionEmbeddings, e], 'normal');
    this.tokenTypeEmbeddings = params.create('embeddings.token_type_embeddings.weight',
      [config.typeVocabSize, e], 'normal');
    this.layerNorm = new LayerNorm(params, 'embeddings.LayerNorm', e, config.layerNormEps);
    if (withProjection) {
      this.projection = new Linear(params, 'encoder.embedding_hidden_mapping_in', e, config.hiddenSize);
    }
  }

  get hasProjection(): boolean {
    return this.projection !== undefined;
  }

  embed(inputs: EmbeddingInputs, ctx: ApplyContext): tf.Tensor3D {
    const [b, t] = inputs.inputIds.shape;
    if (t > this.config.maxPositionEmbeddings) {
      throw new ConfigError('max_position_embeddings', this.config.maxPositionEmbeddings,
        `is smaller than the input length ${t}`);
    }
    return tf.tidy(() => {
      const e = this.config.embeddingSize;
      const ids = tf.cast(inputs.inputIds, 'int32');
      const tt = inputs.tokenTypeIds ? tf.cast(inputs.tokenTypeIds, 'int32') : tf.zerosLike(ids);
      const flatIds = tf.reshape(ids, [-1]); // [B, T] -> [B*T]
      // HF nn.Embedding(padding_idx=pad_token_id): the pad row gets no gradient from the lookup.
      const isWord = tf.cast(tf.notEqual(flatIds, tf.scalar(this.config.padTokenId, 'int32')), 'float32');
      const notPad = tf.reshape(isWord, [-1, 1]); // [B*T] -> [B*T, 1]
      const words = maskLookupGradient(tf.gather(this.wordEmbeddings, flatIds), notPad); // [B*T, E]
      const types = tf.gather(this.tokenTypeEmbeddings, tf.reshape(tt, [-1])); // [B*T, E]
      const positions = tf.slice(this.positionEmbeddings, [0, 0], [t, e]); // [T, E], positions 0..T-1
      const sum = tf.add(tf.reshape(tf.add(words, types), [b, t, e]), positions); // [B*T, E] -> [B, T, E]
      return ctx.dropout(this.layerNorm.apply(sum), this.config.hiddenDropoutProb) as tf.Tensor3D;
    });
  }

  project(x: tf.Tensor3D): tf.Tensor3D {
    // [B, T, E] -> [B, T, H]; without a projection E = H and the input passes through (a new handle).
    return this.projection ? this.projection.apply(x) : tf.clone(x);
  }
}

/**
 * Factorized embedding (ALBERT): word V×E + position P×E + token type at width E, LayerNorm, dropout, and an E→H
 * projection. With `projection: 'auto'` and E = H the projection is skipped (Google's ALBERT/BERT); the default
 * `always` matches HF, which always has `embedding_hidden_mapping_in`.
 */
export function factorized(options: FactorizedOptions = {}): EmbeddingModule {
  const mode = options.projection ?? 'always';
  if (mode !== 'auto' && mode !== 'always') throw new ConfigError('projection', mode, "must be 'auto' or 'always'");
  const withProjection = (c: AlbertConfig) => mode === 'always' || c.embeddingSize !== c.hiddenSize;
  return {
    name: mode === 'always' ? 'factorized' : 'factorized(projection=auto)',
    countParams(c: AlbertConfig): EmbeddingParamCount {
      const e = c.embeddingSize;
      return {
        embeddings: (c.vocabSize + c.maxPositionEmbeddings + c.typeVocabSize) * e + 2 * e,
        projection: withProjection(c) ? e * c.hiddenSize + c.hiddenSize : 0,
      };
    },
    build(c: AlbertConfig, params: ParameterFactory): EmbeddingLayer {
      return new FactorizedEmbeddingLayer(c, params, withProjection(c));
    },
  };
}
