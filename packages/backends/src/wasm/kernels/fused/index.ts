import type { KernelConfig } from '@tensorflow/tfjs-core';
import { adamUpdateConfig } from './adam-update.js';
import { attentionConfig, attentionGradConfig } from './attention.js';
import { geluNewConfig, geluNewGradConfig } from './gelu.js';
import { layerNormConfig, layerNormGradConfig } from './layer-norm.js';
import { softmaxCrossEntropyConfig, softmaxCrossEntropyGradConfig } from './softmax-cross-entropy.js';
import { sumOfSquaresConfig } from './sum-of-squares.js';

export { FUSED_KERNEL_NAMES } from './names.js';

/** The fused training kernels core's ops dispatch to (forward and backward of each, the optimizer step, clipping). */
export const FUSED_WASM_KERNELS: readonly KernelConfig[] = [
  layerNormConfig, layerNormGradConfig, geluNewConfig, geluNewGradConfig, attentionConfig, attentionGradConfig,
  softmaxCrossEntropyConfig, softmaxCrossEntropyGradConfig, adamUpdateConfig, sumOfSquaresConfig,
];
