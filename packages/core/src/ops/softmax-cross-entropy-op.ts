import * as tf from '@tensorflow/tfjs-core';
import { FUSED_KERNELS, hasKernels, runKernel, withGradient } from './fused-kernels.js';

/** Composite per-row cross-entropy from standard ops. */
function softmaxCrossEntropyComposite(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits, -1); // [N, C]
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]); // [N, C]
    return tf.neg(tf.sum(tf.mul(logp, onehot), -1)) as tf.Tensor1D;
  });
}

/**
 * Per-row cross-entropy `−log softmax(logits)[label]`: `[N, C]` logits, `[N]` labels → `[N]` (a label outside
 * [0, C) gives 0 and no gradient: its one-hot row is all zeros). One fused kernel forward and one backward where
 * the backend has them ({@link FUSED_KERNELS}.softmaxCrossEntropy), else a composite of standard ops. Labels get
 * no gradient.
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  if (logits.dtype !== 'float32' || !hasKernels(FUSED_KERNELS.softmaxCrossEntropy, FUSED_KERNELS.softmaxCrossEntropyGrad)) {
    return softmaxCrossEntropyComposite(logits, labels);
  }
  return withGradient(
    [logits],
    ([x], save) => {
      const ids = tf.cast(labels, 'int32');
      save([x!, ids]);
      return runKernel(FUSED_KERNELS.softmaxCrossEntropy, { logits: x!, labels: ids })[0]!;
    },
    (dy, [x, ids]) => runKernel(FUSED_KERNELS.softmaxCrossEntropyGrad, { dy, logits: x!, labels: ids! }),
  ) as tf.Tensor1D;
}
