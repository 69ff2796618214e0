import * as tf from '@tensorflow/tfjs-core';
import type { AlbertConfig } from '../config/albert-config.js';
import { multiHeadAttention } from '../ops/attention-op.js';
import type { ApplyContext } from '../params/apply-context.js';
import type { ParameterFactory } from '../params/parameter-store.js';
import { LayerNorm } from './layer-norm.js';
import { Linear } from './linear.js';

/** float32 min (`torch.finfo(torch.float32).min`), the additive mask value HF v4.36 uses. */
export const FLOAT32_MIN = -3.4028234663852886e38;

/**
 * `[B, T]` 0/1 attention mask → additive `[B, 1, 1, T]` mask: `(1 - mask) * float32_min`, as HF
 * `get_extended_attention_mask`.
 */
export function additiveMask(attentionMask: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy((): tf.Tensor4D => {
    const [b, t] = attentionMask.shape;
    const m = tf.cast(attentionMask, 'float32');
    const add = tf.mul(tf.sub(1, m), FLOAT32_MIN);
    return tf.reshape(add, [b, 1, 1, t]) as tf.Tensor4D; // [B, T] -> [B, 1, 1, T]
  });
}

/**
 * ALBERT self-attention block (HF `AlbertAttention`, post-LN):
 * `LayerNorm(h + dropout(dense(softmax(QKᵀ/√d + mask) V)))`.
 */
export class AlbertAttention {
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  readonly dense: Linear;
  readonly layerNorm: LayerNorm;
  private readonly numHeads: number;

  /** Creates `<name>.{query,key,value,dense,LayerNorm}.*`. */
  constructor(params: ParameterFactory, name: string, private readonly config: AlbertConfig) {
    const h = config.hiddenSize;
    this.query = new Linear(params, `${name}.query`, h, h);
    this.key = new Linear(params, `${name}.key`, h, h);
    this.value = new Linear(params, `${name}.value`, h, h);
    this.dense = new Linear(params, `${name}.dense`, h, h);
    this.layerNorm = new LayerNorm(params, `${name}.LayerNorm`, h, config.layerNormEps);
    this.numHeads = config.numAttentionHeads;
  }

  /**
   * @param hidden `[B, T, H]`.
   * @param mask additive `[B, 1, 1, T]` from {@link additiveMask}.
   * @returns `[B, T, H]`.
   */
  apply(hidden: tf.Tensor3D, mask: tf.Tensor4D, ctx: ApplyContext): tf.Tensor3D {
    return tf.tidy((): tf.Tensor3D => {
      const rate = this.config.attentionProbsDropoutProb;
      const dropProbs = ctx.training && rate > 0 ? (p: tf.Tensor4D) => ctx.dropout(p, rate) : undefined;
      const context = multiHeadAttention(
        this.query.apply(hidden), this.key.apply(hidden), this.value.apply(hidden), mask, this.numHeads, dropProbs,
      ); // [B, T, H]
      const projected = ctx.dropout(this.dense.apply(context), this.config.hiddenDropoutProb);
      return this.layerNorm.apply(tf.add(hidden, projected));
    });
  }

  /**
   * The attention probabilities `softmax(QKᵀ/√d + mask)` of this block for `hidden` (no dropout): HF's
   * `attentions` output in eval mode. Recomputes Q and K, so it costs two extra projections; for analysis only.
   * @param hidden `[B, T, H]`.
   * @param mask additive `[B, 1, 1, T]` from {@link additiveMask}.
   * @returns `[B, heads, T, T]`; each row sums to 1 over the unmasked keys.
   */
  probabilities(hidden: tf.Tensor3D, mask: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy((): tf.Tensor4D => {
      const [b, t, h] = hidden.shape;
      const d = h / this.numHeads;
      const heads = (x: tf.Tensor3D) =>
        tf.transpose(tf.reshape(x, [b, t, this.numHeads, d]), [0, 2, 1, 3]); // [B, T, H] -> [B, T, heads, d] -> [B, heads, T, d]
      const scores = tf.matMul(heads(this.query.apply(hidden)), heads(this.key.apply(hidden)), false, true); // [B, heads, T, T]
      return tf.softmax(tf.add(tf.div(scores, Math.sqrt(d)), mask), -1) as tf.Tensor4D;
    });
  }
}
