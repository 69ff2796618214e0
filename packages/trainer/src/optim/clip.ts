import * as tf from '@tensorflow/tfjs-core';

/**
 * `tf.clip_by_global_norm`: scales every gradient by `clipNorm / max(globalNorm, clipNorm)`, where `globalNorm`
 * is the L2 norm of all gradients concatenated. Returns new tensors (the caller disposes them and the inputs)
 * and the global norm before clipping.
 */
export function clipByGlobalNorm(
  grads: Map<string, tf.Tensor>,
  clipNorm: number,
): { grads: Map<string, tf.Tensor>; globalNorm: number } {
  const names = [...grads.keys()];
  const [normTensor, clipped] = tf.tidy(() => {
    const squares = names.map((n) => tf.sum(tf.square(grads.get(n)!)));
    const globalNorm = tf.sqrt(squares.length === 0 ? tf.scalar(0) : tf.addN(squares));
    const scale = tf.div(clipNorm, tf.maximum(globalNorm, clipNorm));
    return [globalNorm, names.map((n) => tf.mul(grads.get(n)!, scale))] as [tf.Tensor, tf.Tensor[]];
  });
  const globalNorm = normTensor.dataSync()[0];
  normTensor.dispose();
  return { grads: new Map(names.map((n, i) => [n, clipped[i]])), globalNorm };
}
