import * as tf from '@tensorflow/tfjs-core';
import type { ParameterFactory } from '../params/parameter-store.js';
import { Linear } from '../layers/linear.js';

/** HF `AlbertModel.pooler` + `pooler_activation`: `tanh(Linear_HH(h[:, 0]))`. */
export class AlbertPooler {
  readonly dense: Linear;

  constructor(params: ParameterFactory, readonly hiddenSize: number) {
    this.dense = new Linear(params, 'pooler', hiddenSize, hiddenSize);
  }

  /** `[B, T, H]` → `[B, H]` from position 0. */
  apply(lastHiddenState: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy((): tf.Tensor2D => {
      const [b, , h] = lastHiddenState.shape;
      const first = tf.reshape(tf.slice(lastHiddenState, [0, 0, 0], [b, 1, h]), [b, h]); // [B, 1, H] -> [B, H]
      return tf.tanh(this.dense.apply(first)) as tf.Tensor2D;
    });
  }
}
