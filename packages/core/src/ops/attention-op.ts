import * as tf from '@tensorflow/tfjs-core';
import { FUSED_KERNELS, hasKernels, runKernel, withGradient } from './fused-kernels.js';

/** Splits heads: `[B, T, H]` → `[B, heads, T, d]`. */
function splitHeads(x: tf.Tensor3D, numHeads: number): tf.Tensor4D {
  const [b, t, h] = x.shape;
  const r = tf.reshape(x, [b, t, numHeads, h / numHeads]); // [B, T, H] -> [B, T, heads, d]
  return tf.transpose(r, [0, 2, 1, 3]) as tf.Tensor4D; // [B, T, heads, d] -> [B, heads, T, d]
}

/** Composite attention core from standard ops (optionally with dropout on the probabilities). */
function attentionComposite(
  q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, mask: tf.Tensor4D, numHeads: number,
  dropProbs?: (p: tf.Tensor4D) => tf.Tensor4D,
): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, t, h] = q.shape;
    const headDim = h / numHeads;
    const scores = tf.add(tf.div(tf.matMul(splitHeads(q, numHeads), splitHeads(k, numHeads), false, true), Math.sqrt(headDim)), mask); // [B, heads, T, T]
    const softmax = tf.softmax(scores, -1) as tf.Tensor4D;
    const probs = dropProbs ? dropProbs(softmax) : softmax;
    const context = tf.matMul(probs, splitHeads(v, numHeads)); // [B, heads, T, d]
    return tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [b, t, h]) as tf.Tensor3D; // -> [B, T, heads, d] -> [B, T, H]
  });
}

/**
 * Multi-head scaled dot-product attention on projected `q`, `k`, `v` (`[B, T, H]`, heads in consecutive column
 * blocks of H/heads) with an additive `[B, 1, 1, T]` mask: per head `softmax(q kᵀ / √d + mask) v`, heads merged
 * back to `[B, T, H]`. Without `dropProbs` and where the backend has them ({@link FUSED_KERNELS}.attention) this
 * is one fused kernel forward and one backward (no head transposes); with dropout on the probabilities, or on
 * other backends, a composite of standard ops.
 */
export function multiHeadAttention(
  q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, mask: tf.Tensor4D, numHeads: number,
  dropProbs?: (p: tf.Tensor4D) => tf.Tensor4D,
): tf.Tensor3D {
  const fused = dropProbs === undefined && q.dtype === 'float32' && mask.dtype === 'float32' &&
    hasKernels(FUSED_KERNELS.attention, FUSED_KERNELS.attentionGrad);
  if (!fused) return attentionComposite(q, k, v, mask, numHeads, dropProbs);
  const attrs = { numHeads, scale: 1 / Math.sqrt(q.shape[2] / numHeads) };
  return withGradient(
    [q, k, v],
    ([qi, ki, vi], save) => {
      const [context, probs] = runKernel(FUSED_KERNELS.attention, { q: qi!, k: ki!, v: vi!, mask }, attrs);
      save([qi!, ki!, vi!, probs!]);
      return context!;
    },
    (dy, [qi, ki, vi, probs]) => runKernel(FUSED_KERNELS.attentionGrad, { dy, q: qi!, k: ki!, v: vi!, probs: probs! }, attrs),
  ) as tf.Tensor3D;
}
