import * as tf from '@tensorflow/tfjs-core';
import type { ParameterFactory } from '../params/parameter-store.js';

/** LayerNorm over the last axis with biased variance (divide by n), as torch.nn.LayerNorm. */
export class LayerNorm {
  /** γ `[n]`, HF name `<name>.weight`. */
  readonly weight: tf.Variable;
  /** β `[n]`, HF name `<name>.bias`. */
  readonly bias: tf.Variable;

  constructor(params: ParameterFactory, name: string, readonly size: number, readonly eps: number) {
    this.weight = params.create(`${name}.weight`, [size], 'ones');
    this.bias = params.create(`${name}.bias`, [size], 'zeros');
  }

  /** `[..., n]` → `[..., n]`: `(x - mean) / sqrt(var + eps) * γ + β`. */
  apply<T extends tf.Tensor>(x: T): T {
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true); // biased variance, [..., 1]
      const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.eps)));
      return tf.add(tf.mul(normed, this.weight), this.bias) as T;
    });
  }
}
