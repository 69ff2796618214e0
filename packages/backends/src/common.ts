// Exports shared by the Node (index.ts) and browser (browser.ts) entry points.
export { BackendError } from './errors.js';
export {
  ALL_BACKEND_NAMES,
  BROWSER_ONLY_BACKENDS,
  NODE_ONLY_BACKENDS,
  MAX_WASM_THREADS,
  type BackendName,
  type BackendInfo,
  type UseBackendOptions,
} from './names.js';
export {
  registerWasmKernels, WASM_KERNELS, MISSING_WASM_KERNELS, CORRECTED_WASM_KERNELS, FAST_WASM_KERNELS,
  FUSED_WASM_KERNELS,
} from './wasm/kernels/register.js';
export { FUSED_KERNEL_NAMES } from './wasm/kernels/fused/names.js';
export { shutdownBackends } from './wasm/use-wasm.js';
export { planBlockTranspose, type BlockTranspose } from './wasm/kernels/transpose-plan.js';
export { DEFAULT_HEAP_LIMIT_BYTES, WASM_HEAP_MAX_BYTES, wasmHeapBytes } from './wasm/heap-guard.js';
export { isNode, isCrossOriginIsolated, logicalCores } from './runtime.js';
