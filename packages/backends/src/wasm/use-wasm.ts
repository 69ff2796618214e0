import * as tf from '@tensorflow/tfjs-core';
import { activate } from '../activate.js';
import { BackendError } from '../errors.js';
import { MAX_WASM_THREADS, type BackendInfo, type UseBackendOptions } from '../names.js';
import { logicalCores } from '../runtime.js';
import { DEFAULT_HEAP_LIMIT_BYTES, installHeapGuard } from './heap-guard.js';
import type { WasmBackendInternals } from './internals.js';
import { registerWasmKernels, unregisterFusedKernels, WASM_KERNELS } from './kernels/register.js';
import { simdKernels } from './simd/simd-kernels.js';

/** A tfjs backend factory, as `tf.registerBackend` takes it. */
export type BackendFactory = () => tf.KernelBackend | Promise<tf.KernelBackend>;
/** The tfjs-backend-wasm module. */
export type WasmPackage = typeof import('@tensorflow/tfjs-backend-wasm');

/** How one platform (Node, browsers) loads the wasm binaries and threads. */
export interface WasmLoader {
  /** Whether more than one XNNPACK thread can run here (Node: always; browsers: cross-origin isolated pages). */
  threadsAvailable(): boolean;
  /** Registers the `wasm` backend factory for `threads` threads; `stock` is tfjs-backend-wasm's own factory. */
  register(threads: number, stock: BackendFactory, wasmPkg: WasmPackage, opts: UseBackendOptions): Promise<void>;
  /** Called once a newly registered backend is active (e.g. to start helper threads for it). */
  started?(backend: WasmBackendInternals, threads: number): Promise<void>;
}

/** tfjs-backend-wasm's own factory (registered when the package is imported), kept to re-register it. */
let stockWasmFactory: BackendFactory | null = null;
let wasmConfigured: { threads: number; fastKernels: boolean } | null = null;

/**
 * Releases what `useBackend` started: disposes the wasm backend, which terminates its worker threads, and forgets
 * its settings, so that a later `useBackend('wasm')` starts a fresh one. Tensors still held on wasm are lost.
 * Programs call it when they are done instead of `process.exit()`, which would drop output still queued for a
 * pipe. Idempotent; the other backends hold no threads and are left as they are.
 */
export function shutdownBackends(): void {
  if (tf.findBackend('wasm') === null) return;
  if (stockWasmFactory === null) stockWasmFactory = tf.findBackendFactory('wasm') as BackendFactory | null;
  tf.removeBackend('wasm'); // BackendWasm.dispose() terminates the pthread workers
  wasmConfigured = null;
}

/**
 * Activates wasm: registers this package's kernels, (re)registers the backend when the thread count or kernel set
 * changed, installs the heap guard. Shared by the Node and browser entry points, which differ only in `loader`.
 */
export async function useWasm(opts: UseBackendOptions, loader: WasmLoader): Promise<BackendInfo> {
  const fastKernels = opts.fastKernels ?? true;
  const heapLimitBytes = opts.heapLimitBytes ?? DEFAULT_HEAP_LIMIT_BYTES;
  if (!(Number.isFinite(heapLimitBytes) && heapLimitBytes > 0)) {
    throw new BackendError(`heapLimitBytes must be a positive number, got ${String(opts.heapLimitBytes)}`);
  }
  const exclude = opts.excludeKernels ?? [];
  const known = new Set(WASM_KERNELS.map((k) => k.kernelName));
  const unknown = exclude.filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new BackendError(`excludeKernels: unknown kernel "${unknown[0]}" (this package registers ${[...known].join(', ')})`);
  }
  const cores = await logicalCores();
  const threads = opts.threads ?? (loader.threadsAvailable() ? Math.min(Math.max(1, cores), MAX_WASM_THREADS) : 1);
  const wasmPkg = await import('@tensorflow/tfjs-backend-wasm');
  registerWasmKernels(fastKernels, exclude);
  if (stockWasmFactory === null) stockWasmFactory = tf.findBackendFactory('wasm') as BackendFactory | null;
  const stock = stockWasmFactory;
  if (stock === null) throw new BackendError('backend "wasm": @tensorflow/tfjs-backend-wasm registered no backend factory');

  const same =
    wasmConfigured !== null &&
    wasmConfigured.threads === threads &&
    wasmConfigured.fastKernels === fastKernels &&
    tf.findBackend('wasm') !== null;
  if (!same) {
    if (tf.findBackendFactory('wasm') !== null || tf.findBackend('wasm') !== null) tf.removeBackend('wasm');
    await loader.register(threads, stock, wasmPkg, opts);
  }
  await activate('wasm', 'wasm');
  const backend = tf.backend() as unknown as WasmBackendInternals;
  installHeapGuard(backend, heapLimitBytes);
  if (simdKernels(backend) === null) unregisterFusedKernels();
  if (!same) await loader.started?.(backend, threads);
  wasmConfigured = { threads, fastKernels };
  return { name: 'wasm', tfBackend: 'wasm', threads: wasmPkg.getThreadsCount() };
}
