import * as tf from '@tensorflow/tfjs-core';
import type { AlbertConfig } from '../config/albert-config.js';
import type { ParameterFactory } from '../params/parameter-store.js';
import { activation } from './activations.js';
import { LayerNorm } from './layer-norm.js';
import { Linear } from './linear.js';

/**
 * ALBERT feed-forward block (HF `AlbertLayer.ff_chunk` + `full_layer_layer_norm`):
 * `LayerNorm(ffn_output(act(ffn(a))) + a)`. HF applies no dropout here.
 */
export class AlbertFeedForward {
  readonly ffn: Linear;
  readonly ffnOutput: Linear;
  readonly layerNorm: LayerNorm;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  /** Creates `<prefix>ffn.*`, `<prefix>ffn_output.*`, `<prefix>full_layer_layer_norm.*`. */
  constructor(params: ParameterFactory, prefix: string, config: AlbertConfig) {
    this.ffn = new Linear(params, `${prefix}ffn`, config.hiddenSize, config.intermediateSize);
    this.ffnOutput = new Linear(params, `${prefix}ffn_output`, config.intermediateSize, config.hiddenSize);
    this.layerNorm = new LayerNorm(params, `${prefix}full_layer_layer_norm`, config.hiddenSize, config.layerNormEps);
    this.act = activation(config.hiddenAct);
  }

  /** `[B, T, H]` → `[B, T, H]`. */
  apply(attentionOutput: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const inner = this.act(this.ffn.apply(attentionOutput)); // [B, T, I]
      return this.layerNorm.apply(tf.add(this.ffnOutput.apply(inner), attentionOutput));
    });
  }
}
