import * as tf from '@tensorflow/tfjs-core';
import { layerNorm } from '../ops/layer-norm-op.js';
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
    return layerNorm(x, this.weight, this.bias, this.eps);
  }
}
