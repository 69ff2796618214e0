/**
 * Names of the fused kernels declared by `@albert-ts/core` (`FUSED_KERNELS` in core's `src/ops`): core's ops run
 * them when the active backend registers them and a composite of standard ops otherwise. Kept as plain strings so
 * that this package does not depend on core; `test/fused-kernels.test.ts` checks that both lists agree.
 */
export const FUSED_KERNEL_NAMES = {
  layerNorm: 'AlbertLayerNorm',
  layerNormGrad: 'AlbertLayerNormGrad',
  geluNew: 'AlbertGeluNew',
  geluNewGrad: 'AlbertGeluNewGrad',
  attention: 'AlbertAttention',
  attentionGrad: 'AlbertAttentionGrad',
  softmaxCrossEntropy: 'AlbertSoftmaxCrossEntropy',
  softmaxCrossEntropyGrad: 'AlbertSoftmaxCrossEntropyGrad',
  adamUpdate: 'AlbertAdamUpdate',
  sumOfSquares: 'AlbertSumOfSquares',
} as const;
