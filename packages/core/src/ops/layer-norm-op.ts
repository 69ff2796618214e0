import * as tf from '@tensorflow/tfjs-core';
import { FUSED_KERNELS, hasKernels, runKernel, withGradient } from './fused-kernels.js';

/** Composite LayerNorm from standard ops (every backend; differentiated by tfjs). */
function layerNormComposite<T extends tf.Tensor>(x: T, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): T {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true); // biased variance, [..., 1]
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon)));
    return tf.add(tf.mul(normed, gamma), beta) as T;
  });
}

/**
 * LayerNorm over the last axis with biased variance, as torch.nn.LayerNorm: `(x − mean) / √(var + ε) · γ + β`.
 * One fused kernel forward and one backward where the backend has them ({@link FUSED_KERNELS}.layerNorm), else a
 * composite of standard ops.
 */
export function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): T {
  if (x.dtype !== 'float32' || !hasKernels(FUSED_KERNELS.layerNorm, FUSED_KERNELS.layerNormGrad)) {
    return layerNormComposite(x, gamma, beta, epsilon);
  }
  const attrs = { epsilon };
  return withGradient(
    [x, gamma, beta],
    ([xi, g, b], save) => {
      save([xi!, g!]);
      return runKernel(FUSED_KERNELS.layerNorm, { x: xi!, gamma: g!, beta: b! }, attrs)[0]!;
    },
    (dy, [xi, g]) => runKernel(FUSED_KERNELS.layerNormGrad, { dy, x: xi!, gamma: g! }, attrs),
  ) as T;
}
