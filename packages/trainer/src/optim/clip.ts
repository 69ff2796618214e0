import * as tf from '@tensorflow/tfjs-core';
import { FUSED_KERNELS, hasKernels, runKernel } from '@albert-ts/core';

/**
 * `tf.clip_by_global_norm`: scales every gradient by `clipNorm / max(globalNorm, clipNorm)`, where `globalNorm`
 * is the L2 norm of all gradients concatenated. Returns new tensors (the caller disposes them and the inputs)
 * and the global norm before clipping, as a scalar tensor (nothing is read back).
 */
export function clipGlobalNorm(
  grads: Map<string, tf.Tensor>,
  clipNorm: number,
): { grads: Map<string, tf.Tensor>; globalNorm: tf.Scalar } {
  const names = [...grads.keys()];
  const fused = names.length > 0 && hasKernels(FUSED_KERNELS.sumOfSquares) && names.every((n) => grads.get(n)!.dtype === 'float32');
  const [normTensor, clipped] = tf.tidy(() => {
    const sumOfSquares = (): tf.Tensor => {
      // One kernel for all gradients where the backend has it (wasm), else one square and sum per gradient.
      if (fused) return runKernel(FUSED_KERNELS.sumOfSquares, Object.fromEntries(names.map((n, i) => [`x${i}`, grads.get(n)!])))[0]!;
      const squares = names.map((n) => tf.sum(tf.square(grads.get(n)!)));
      return squares.length === 0 ? tf.scalar(0) : tf.addN(squares);
    };
    const globalNorm = tf.sqrt(sumOfSquares());
    const scale = tf.div(clipNorm, tf.maximum(globalNorm, clipNorm));
    return [globalNorm, names.map((n) => tf.mul(grads.get(n)!, scale))] as [tf.Tensor, tf.Tensor[]];
  });
  return { grads: new Map(names.map((n, i) => [n, clipped[i]])), globalNorm: normTensor as tf.Scalar };
}

/** {@link clipGlobalNorm} with the global norm read back as a number (synchronously). */
export function clipByGlobalNorm(
  grads: Map<string, tf.Tensor>,
  clipNorm: number,
): { grads: Map<string, tf.Tensor>; globalNorm: number } {
  const r = clipGlobalNorm(grads, clipNorm);
  const globalNorm = r.globalNorm.dataSync()[0];
  r.globalNorm.dispose();
  return { grads: r.grads, globalNorm };
}
