import { BackendError } from '../errors.js';
import { heapBuffer, type WasmBackendInternals } from './internals.js';

/** wasm32 address space: the heap can never exceed 4 GiB. */
export const WASM_HEAP_MAX_BYTES = 4 * 1024 ** 3;
/** Default limit: leave 64 MiB for XNNPACK's own buffers and the C++ runtime. */
export const DEFAULT_HEAP_LIMIT_BYTES = WASM_HEAP_MAX_BYTES - 64 * 1024 ** 2;

const MiB = 1024 ** 2;
const guarded = new WeakMap<object, { limit: number }>();

/** Current size of the wasm backend's heap in bytes. */
export function wasmHeapBytes(backend: WasmBackendInternals): number {
  return heapBuffer(backend.wasm).byteLength;
}

/**
 * Makes tensor allocations on the wasm heap fail fast with a one-line `BackendError` once they would end above
 * `limitBytes` (or when `malloc` fails), instead of tfjs writing through a null pointer and hanging.
 */
export function installHeapGuard(backend: WasmBackendInternals, limitBytes: number): void {
  const state = guarded.get(backend.wasm);
  if (state !== undefined) {
    state.limit = limitBytes;
    return;
  }
  const wasm = backend.wasm;
  // Emscripten's `_malloc` export replaces itself on first call; resolve it before wrapping.
  wasm._free(wasm._malloc(16));
  const malloc = wasm._malloc.bind(wasm);
  const entry = { limit: limitBytes };
  guarded.set(wasm, entry);
  wasm._malloc = (bytes: number): number => {
    const ptr = malloc(bytes) >>> 0;
    if (bytes > 0 && (ptr === 0 || ptr + bytes > entry.limit)) {
      if (ptr !== 0) wasm._free(ptr);
      const heap = wasmHeapBytes(backend);
      throw new BackendError(
        `wasm heap exhausted: cannot allocate ${(bytes / MiB).toFixed(1)} MiB (heap ${(heap / MiB).toFixed(0)} MiB, ` +
          `limit ${(entry.limit / MiB).toFixed(0)} MiB); use smaller micro-batches or recomputation`,
      );
    }
    return ptr;
  };
}
