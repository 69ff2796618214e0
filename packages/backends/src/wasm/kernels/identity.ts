import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../internals.js';
import { runStock } from './stock.js';

/**
 * `Identity` for wasm that shares the input's memory (reference count) instead of copying it, like the cpu
 * backend. tfjs clones every tensor it saves for the backward pass, so the stock copying kernel kept a full copy
 * of every weight per use (ALBERT-base: ~27 MB per layer per step) until the gradients were done. Tensors are
 * immutable, so sharing is safe.
 */
export const identity: KernelFunc = (args) => {
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype === 'string') return runStock(Identity, args);
  (args.backend as unknown as WasmBackendInternals & { incRef(dataId: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
};

/** Kernel registration for the wasm backend (replaces the stock copying `Identity`). */
export const identityConfig: KernelConfig = { kernelName: Identity, backendName: 'wasm', kernelFunc: identity };
