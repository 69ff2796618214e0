import { BackendError } from './errors.js';

/** Every backend `useBackend` knows, on some platform. */
export const ALL_BACKEND_NAMES = ['cpu', 'wasm', 'webgpu', 'webgl', 'node-gpu', 'node'] as const;
/** A backend `useBackend` knows. */
export type BackendName = (typeof ALL_BACKEND_NAMES)[number];

/** Backends that only exist in browsers (pages and workers). */
export const BROWSER_ONLY_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl'];
/** Backends that only exist in Node.js. */
export const NODE_ONLY_BACKENDS: readonly BackendName[] = ['node-gpu', 'node'];
/**
 * The backends of the Node.js entry point, every name but the browser-only ones (its `BACKEND_NAMES`), from a
 * module that loads no TensorFlow.js (`@albert-ts/backends/names`): for usage texts and flag parsing.
 */
export const NODE_BACKEND_NAMES: readonly BackendName[] = ALL_BACKEND_NAMES.filter((n) => !BROWSER_ONLY_BACKENDS.includes(n));

/** Most threads the threaded wasm build can use (it pre-creates 8 pthread workers). */
export const MAX_WASM_THREADS = 8;

/** Options of `useBackend`. */
export interface UseBackendOptions {
  /**
   * wasm only: XNNPACK thread count. Default: the number of logical cores, at most 8. In Node the threaded-SIMD
   * build is loaded with worker files from the package; in browsers threads need cross-origin isolation.
   */
  threads?: number;
  /**
   * wasm only, browsers: where the `.wasm` binaries are served (prefix or file map, see tfjs `setWasmPaths`).
   * Default: the copies shipped in this package's `wasm/` folder, referenced with `new URL(…, import.meta.url)` so
   * that bundlers (Vite, webpack 5) serve them as static assets.
   */
  wasmPaths?: string | Record<string, string>;
  /** wasm only: register the faster matmul/transpose kernels and the fused training kernels (default true). */
  fastKernels?: boolean;
  /**
   * wasm only: kernel names to leave out of `fastKernels` (stock kernel, or core's composite op for a fused
   * kernel such as `AlbertLayerNorm`), e.g. to measure what one kernel buys. Default none.
   */
  excludeKernels?: readonly string[];
  /** wasm only: heap size at which an allocation fails with a `BackendError` (default 4 GiB minus 64 MiB). */
  heapLimitBytes?: number;
}

/** What `useBackend` set up. */
export interface BackendInfo {
  /** Name passed to `useBackend`. */
  name: BackendName;
  /** tfjs backend name now active (`tensorflow` for node / node-gpu). */
  tfBackend: string;
  /** Threads used by the backend's kernels (1 for cpu; the XNNPACK pool for wasm; 0 when unknown or a GPU). */
  threads: number;
  /** webgpu only: the adapter, e.g. `google swiftshader` (vendor and architecture as the browser reports them). */
  adapter?: string;
}

/** Throws a one-line {@link BackendError} for an unknown name or a bad thread count. */
export function checkRequest(name: BackendName, opts: UseBackendOptions, available: readonly BackendName[]): void {
  if (!(ALL_BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new BackendError(`unknown backend "${String(name)}"; expected one of ${available.join(', ')}`);
  }
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1 && opts.threads <= MAX_WASM_THREADS)) {
    throw new BackendError(`threads must be an integer from 1 to ${MAX_WASM_THREADS}, got ${String(opts.threads)}`);
  }
}
