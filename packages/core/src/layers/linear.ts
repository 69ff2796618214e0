import * as tf from '@tensorflow/tfjs-core';
import type { ParameterFactory } from '../params/parameter-store.js';

/** A dense layer `y = x W + b` with `W` stored `[in, out]` (torch stores `[out, in]`; the HF mapping transposes). */
export class Linear {
  /** `[in, out]`. */
  readonly weight: tf.Variable;
  /** `[out]`. */
  readonly bias: tf.Variable;

  /** Creates `<name>.weight` and `<name>.bias`. */
  constructor(params: ParameterFactory, name: string, readonly inFeatures: number, readonly outFeatures: number) {
    this.weight = params.create(`${name}.weight`, [inFeatures, outFeatures], 'normal', 'linear');
    this.bias = params.create(`${name}.bias`, [outFeatures], 'zeros');
  }

  /** `[..., in]` → `[..., out]`. */
  apply<T extends tf.Tensor>(x: T): T {
    return tf.tidy(() => {
      const lead = x.shape.slice(0, -1);
      const x2 = tf.reshape(x, [-1, this.inFeatures]); // [..., in] -> [N, in]
      const y = tf.fused.matMul({ a: x2, b: this.weight, bias: this.bias }); // x W + b in one kernel, [N, out]
      return tf.reshape(y, [...lead, this.outFeatures]) as T; // [N, out] -> [..., out]
    });
  }
}
