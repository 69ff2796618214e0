import * as tf from '@tensorflow/tfjs-core';
import { FUSED_KERNELS, hasKernels, runKernel, withGradient } from './fused-kernels.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Composite `gelu_new` from standard ops. */
function geluNewComposite(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.mul(x, tf.mul(x, x)))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  });
}

/**
 * `gelu_new` (= HF gelu_pytorch_tanh, gelu_fast, gelu_accurate): 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))).
 * One fused kernel forward and one backward where the backend has them ({@link FUSED_KERNELS}.geluNew).
 */
export function geluNew(x: tf.Tensor): tf.Tensor {
  if (x.dtype !== 'float32' || !hasKernels(FUSED_KERNELS.geluNew, FUSED_KERNELS.geluNewGrad)) return geluNewComposite(x);
  return withGradient(
    [x],
    ([xi], save) => {
      save([xi!]);
      return runKernel(FUSED_KERNELS.geluNew, { x: xi! })[0]!;
    },
    (dy, [xi]) => runKernel(FUSED_KERNELS.geluNewGrad, { dy, x: xi! }),
  );
}
