import * as tf from '@tensorflow/tfjs-core';
import type { AlbertConfig } from '../config/albert-config.js';
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
  private readonly headDim: number;

  /** Creates `<name>.{query,key,value,dense,LayerNorm}.*`. */
  constructor(params: ParameterFactory, name: string, private readonly config: AlbertConfig) {
    const h = config.hiddenSize;
    this.query = new Linear(params, `${name}.query`, h, h);
    this.key = new Linear(params, `${name}.key`, h, h);
    this.value = new Linear(params, `${name}.value`, h, h);
    this.dense = new Linear(params, `${name}.dense`, h, h);
    this.layerNorm = new LayerNorm(params, `${name}.LayerNorm`, h, config.layerNormEps);
    this.numHeads = config.numAttentionHeads;
    this.headDim = h / config.numAttentionHeads;
  }

  /** Splits heads: `[B, T, H]` → `[B, heads, T, d]`. */
  private split(x: tf.Tensor3D): tf.Tensor4D {
    const [b, t] = x.shape;
    const r = tf.reshape(x, [b, t, this.numHeads, this.headDim]); // [B, T, H] -> [B, T, heads, d]
    return tf.transpose(r, [0, 2, 1, 3]) as tf.Tensor4D; // [B, T, heads, d] -> [B, heads, T, d]
  }

  /**
   * @param hidden `[B, T, H]`.
   * @param mask additive `[B, 1, 1, T]` from {@link additiveMask}.
   * @returns `[B, T, H]`.
   */
  apply(hidden: tf.Tensor3D, mask: tf.Tensor4D, ctx: ApplyContext): tf.Tensor3D {
    return tf.tidy((): tf.Tensor3D => {
      const [b, t, h] = hidden.shape;
      const q = this.split(this.query.apply(hidden));
      const k = this.split(this.key.apply(hidden));
      const v = this.split(this.value.apply(hidden));
      const scores = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(this.headDim)), mask); // [B, heads, T, T]
      const probs = ctx.dropout(tf.softmax(scores, -1), this.config.attentionProbsDropoutProb);
      const context = tf.matMul(probs, v); // [B, heads, T, d]
      const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [b, t, h]); // -> [B, T, heads, d] -> [B, T, H]
      const projected = ctx.dropout(this.dense.apply(merged), this.config.hiddenDropoutProb);
      return this.layerNorm.apply(tf.add(hidden, projected));
    });
  }
}
