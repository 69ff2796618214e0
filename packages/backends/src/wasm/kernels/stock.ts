import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/** The stock tfjs-backend-wasm kernels we replaced, by kernel name (our kernels fall back to them). */
export const stockKernels = new Map<string, KernelConfig>();

/** Runs the stock kernel `name` (for cases our kernel does not cover). */
export function runStock(name: string, args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] {
  const config = stockKernels.get(name);
  if (config === undefined) throw new Error(`no stock wasm kernel ${name} to fall back to`);
  return config.kernelFunc(args);
}
