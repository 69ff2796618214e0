import * as tf from '@tensorflow/tfjs-core';
import {
  activation, type AlbertConfig, type ApplyContext, type EncoderOutputs, LayerNorm, Linear, type Objective,
  type ObjectiveBuildContext, type ObjectiveHead, type ObjectiveResult, type PretrainingBatch,
} from '@albert-ts/core';
import { gatherPositions } from './gather-positions.js';
import { weightedCrossEntropy } from './losses.js';
import { accuracy } from './metrics.js';

/** Options of {@link mlm}. */
export interface MlmOptions {
  /** Objective name (loss key, metric prefix). Default `mlm`. */
  readonly name?: string;
}

/**
 * HF `AlbertMLMHead`: `dense (H→E) → act → LayerNorm_E → decoder (E→V)`, the decoder weight tied to the word
 * embeddings (`[V, E]`, not a parameter of the head) plus its own bias `predictions.bias`.
 */
export class MlmHead implements ObjectiveHead {
  readonly dense: Linear;
  readonly layerNorm: LayerNorm;
  /** `[V]`, HF `predictions.bias` (= `predictions.decoder.bias`). */
  readonly bias: tf.Variable;
  /** The tied decoder weight `[V, E]` (owned by the embeddings). */
  readonly decoderWeight: tf.Variable;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  constructor(readonly name: string, ctx: ObjectiveBuildContext) {
    const { config, params } = ctx;
    this.dense = new Linear(params, 'predictions.dense', config.hiddenSize, config.embeddingSize);
    this.layerNorm = new LayerNorm(params, 'predictions.LayerNorm', config.embeddingSize, config.layerNormEps);
    this.bias = params.create('predictions.bias', [config.vocabSize], 'zeros');
    this.decoderWeight = ctx.wordEmbeddings;
    this.act = activation(config.hiddenAct);
  }

  /** `[B, T, H]` (or `[B, P, H]`) → `[B, T, V]` logits at every position (HF `prediction_logits`). */
  logits(hidden: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const [b, t] = hidden.shape;
      const x = this.layerNorm.apply(this.act(this.dense.apply(hidden))); // [B, T, E]
      const flat = tf.reshape(x, [b * t, -1]); // [B, T, E] -> [B*T, E]
      const logits = tf.add(tf.matMul(flat, this.decoderWeight, false, true), this.bias); // [B*T, V]
      return tf.reshape(logits, [b, t, -1]) as tf.Tensor3D; // [B*T, V] -> [B, T, V]
    });
  }

  /** Logits only at the MLM positions: `[B, T, H]`, `[B, P]` → `[B, P, V]` (cheap: P ≪ T). */
  maskedLogits(hidden: tf.Tensor3D, positions: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => this.logits(gatherPositions(hidden, positions)));
  }

  /** Loss = Σ w·CE / Σ w over the P targets; metric `<name>_accuracy`. */
  compute(outputs: EncoderOutputs, batch: PretrainingBatch, _ctx: ApplyContext): ObjectiveResult {
    return tf.tidy(() => {
      const logits = this.maskedLogits(outputs.lastHiddenState, batch.mlmPositions); // [B, P, V]
      const [b, p, v] = logits.shape;
      const flat = tf.reshape(logits, [b * p, v]) as tf.Tensor2D; // [B, P, V] -> [B*P, V]
      const ids = tf.reshape(batch.mlmIds, [-1]) as tf.Tensor1D; // [B, P] -> [B*P]
      const w = tf.reshape(batch.mlmWeights, [-1]) as tf.Tensor1D; // [B, P] -> [B*P]
      return {
        loss: weightedCrossEntropy(flat, ids, w),
        metrics: { [`${this.name}_accuracy`]: accuracy(flat, ids, w) },
      };
    });
  }
}

/** Masked-language-model objective (tied decoder). */
export function mlm(options: MlmOptions = {}): Objective<MlmHead> {
  const name = options.name ?? 'mlm';
  return {
    name,
    countParams: (c: AlbertConfig) => c.hiddenSize * c.embeddingSize + c.embeddingSize + 2 * c.embeddingSize + c.vocabSize,
    build: (ctx: ObjectiveBuildContext) => new MlmHead(name, ctx),
  };
}
