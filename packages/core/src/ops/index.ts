export { FUSED_KERNELS, type AdamUpdateAttrs, hasKernels, runKernel, withGradient } from './fused-kernels.js';
export { layerNorm } from './layer-norm-op.js';
export { geluNew } from './gelu-op.js';
export { multiHeadAttention } from './attention-op.js';
export { softmaxCrossEntropy } from './softmax-cross-entropy-op.js';
