export { BackendError } from './errors.js';
export {
  useBackend,
  BACKEND_NAMES,
  MAX_WASM_THREADS,
  type BackendName,
  type BackendInfo,
  type UseBackendOptions,
} from './use-backend.js';
export { registerWasmKernels, WASM_KERNELS, MISSING_WASM_KERNELS, FAST_WASM_KERNELS } from './wasm/kernels/register.js';
export { planBlockTranspose, type BlockTranspose } from './wasm/kernels/transpose-plan.js';
export { DEFAULT_HEAP_LIMIT_BYTES, WASM_HEAP_MAX_BYTES, wasmHeapBytes } from './wasm/heap-guard.js';
export { isNode, logicalCores } from './runtime.js';
