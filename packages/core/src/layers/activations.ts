import * as tf from '@tensorflow/tfjs-core';
import type { HiddenAct } from '../config/albert-config.js';
import { geluNew } from '../ops/gelu-op.js';

export { geluNew };

/** `gelu` (= HF gelu_python): exact erf GELU, 0.5 x (1 + erf(x / √2)). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

/** `silu` (= HF swish): x · sigmoid(x). */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

/** `quick_gelu`: x · sigmoid(1.702 x). */
export function quickGelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(tf.mul(1.702, x))));
}

/** `mish`: x · tanh(softplus(x)). */
export function mish(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.tanh(tf.softplus(x))));
}

/** The activation function for a `hidden_act` name (HF `ACT2FN` semantics). */
export function activation(name: HiddenAct): (x: tf.Tensor) => tf.Tensor {
  switch (name) {
    case 'gelu':
    case 'gelu_python':
      return gelu;
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
    case 'gelu_fast':
    case 'gelu_accurate':
      return geluNew;
    case 'quick_gelu': return quickGelu;
    case 'relu': return (x) => tf.relu(x);
    case 'relu6': return (x) => tf.relu6(x);
    case 'relu2': return (x) => tf.tidy(() => tf.square(tf.relu(x)));
    case 'leaky_relu': return (x) => tf.leakyRelu(x, 0.01);
    case 'silu':
    case 'swish':
      return silu;
    case 'mish': return mish;
    case 'tanh': return (x) => tf.tanh(x);
    case 'sigmoid': return (x) => tf.sigmoid(x);
    case 'linear': return (x) => tf.clone(x);
  }
}
