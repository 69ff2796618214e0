import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './batch-mat-mul.js';
import { clipByValueConfig } from './clip-by-value.js';
import { expConfig, tanhConfig } from './unary.js';
import { FUSED_WASM_KERNELS } from './fused/index.js';
import { fusedMatMulConfig } from './fused-mat-mul.js';
import { identityConfig } from './identity.js';
import { stockKernels } from './stock.js';
import { sumConfig } from './sum.js';
import { transposeConfig } from './transpose.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/** Kernels wasm lacks entirely; always registered. */
export const MISSING_WASM_KERNELS: readonly KernelConfig[] = [unsortedSegmentSumConfig];

/** Replacements of stock wasm kernels that give wrong results (`ClipByValue` on int32 and NaN); always registered. */
export const CORRECTED_WASM_KERNELS: readonly KernelConfig[] = [clipByValueConfig];

/** Faster replacements of stock wasm kernels (matmul paths, transposes, Exp, Tanh, leading-axis sums, Identity). */
export const FAST_WASM_KERNELS: readonly KernelConfig[] = [
  batchMatMulConfig, fusedMatMulConfig, transposeConfig, expConfig, tanhConfig, sumConfig, identityConfig,
];

export { FUSED_WASM_KERNELS };

/** All kernels this package registers for wasm. */
export const WASM_KERNELS: readonly KernelConfig[] = [
  ...MISSING_WASM_KERNELS, ...CORRECTED_WASM_KERNELS, ...FAST_WASM_KERNELS, ...FUSED_WASM_KERNELS,
];

function install(config: KernelConfig): void {
  const current = getKernel(config.kernelName, 'wasm');
  if (current !== undefined && current.kernelFunc === config.kernelFunc) return;
  if (current !== undefined) {
    if (!stockKernels.has(config.kernelName)) stockKernels.set(config.kernelName, current);
    unregisterKernel(config.kernelName, 'wasm');
  }
  // Keep the stock kernel's setup (it initialises module state other stock kernels share, e.g. Transpose's).
  const stock = stockKernels.get(config.kernelName);
  registerKernel(stock?.setupFunc !== undefined ? { ...config, setupFunc: stock.setupFunc } : config);
}

/** Puts back the stock kernel of `config` (or nothing, for a fused kernel with no stock counterpart). */
function uninstall(config: KernelConfig): void {
  const current = getKernel(config.kernelName, 'wasm');
  if (current === undefined || current.kernelFunc !== config.kernelFunc) return;
  unregisterKernel(config.kernelName, 'wasm');
  const stock = stockKernels.get(config.kernelName);
  if (stock !== undefined) registerKernel(stock);
}

/**
 * Registers the kernels wasm lacks, the corrected ones and, with `fast` (default), our faster replacements of stock
 * kernels and the fused training kernels of core's ops; kernels named in `exclude` (and all of them with `fast: false`) are left
 * out or put back to stock, e.g. to measure what one kernel buys. Idempotent. Register before the wasm backend
 * initialises (`useBackend` does) so that the stock kernels' setup still runs.
 */
export function registerWasmKernels(fast = true, exclude: readonly string[] = []): void {
  for (const config of [...MISSING_WASM_KERNELS, ...CORRECTED_WASM_KERNELS]) install(config);
  for (const config of [...FAST_WASM_KERNELS, ...FUSED_WASM_KERNELS]) {
    if (fast && !exclude.includes(config.kernelName)) install(config);
    else uninstall(config);
  }
}

/** Unregisters the fused kernels (when the engine cannot run the SIMD module; core's ops then use composites). */
export function unregisterFusedKernels(): void {
  for (const config of FUSED_WASM_KERNELS) uninstall(config);
}
