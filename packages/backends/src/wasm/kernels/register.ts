import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './batch-mat-mul.js';
import { expConfig, tanhConfig } from './unary.js';
import { identityConfig } from './identity.js';
import { stockKernels } from './stock.js';
import { sumConfig } from './sum.js';
import { transposeConfig } from './transpose.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/** Kernels wasm lacks entirely; always registered. */
export const MISSING_WASM_KERNELS: readonly KernelConfig[] = [unsortedSegmentSumConfig];

/** Faster replacements of stock wasm kernels (matmul paths, transposes, Exp, Tanh, leading-axis sums, Identity). */
export const FAST_WASM_KERNELS: readonly KernelConfig[] = [
  batchMatMulConfig, transposeConfig, expConfig, tanhConfig, sumConfig, identityConfig,
];

/** All kernels this package registers for wasm. */
export const WASM_KERNELS: readonly KernelConfig[] = [...MISSING_WASM_KERNELS, ...FAST_WASM_KERNELS];

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

/**
 * Registers the kernels wasm lacks and, with `fast` (default), our faster replacements of stock kernels; with
 * `fast: false` the stock kernels are restored. Idempotent. Register before the wasm backend initialises
 * (`useBackend` does) so that the stock kernels' setup still runs.
 */
export function registerWasmKernels(fast = true): void {
  for (const config of MISSING_WASM_KERNELS) install(config);
  if (fast) {
    for (const config of FAST_WASM_KERNELS) install(config);
    return;
  }
  for (const config of FAST_WASM_KERNELS) {
    const stock = stockKernels.get(config.kernelName);
    const current = getKernel(config.kernelName, 'wasm');
    if (stock === undefined || current === undefined || current.kernelFunc === stock.kernelFunc) continue;
    unregisterKernel(config.kernelName, 'wasm');
    registerKernel(stock);
  }
}
