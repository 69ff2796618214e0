import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from './errors.js';
import { isCrossOriginIsolated, isNode, logicalCores } from './runtime.js';
import { installHeapGuard, DEFAULT_HEAP_LIMIT_BYTES } from './wasm/heap-guard.js';
import { registerWasmKernels } from './wasm/kernels/register.js';
import type { WasmBackendInternals } from './wasm/internals.js';

/** Backends `useBackend` knows. */
export const BACKEND_NAMES = ['cpu', 'wasm', 'node-gpu', 'node'] as const;
/** A backend `useBackend` knows. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Most threads the threaded wasm build can use (it pre-creates 8 pthread workers). */
export const MAX_WASM_THREADS = 8;

/** Options of {@link useBackend}. */
export interface UseBackendOptions {
  /**
   * wasm only: XNNPACK thread count. Default: the number of logical cores, at most 8. In Node the threaded-SIMD
   * build is loaded with worker files from the package; in browsers threads need cross-origin isolation.
   */
  threads?: number;
  /** wasm only, browsers: where the `.wasm` binaries are served (prefix or file map, see tfjs `setWasmPaths`). */
  wasmPaths?: string | Record<string, string>;
  /** wasm only: register the faster matmul/transpose kernels of this package (default true). */
  fastKernels?: boolean;
  /** wasm only: heap size at which an allocation fails with a `BackendError` (default 4 GiB minus 64 MiB). */
  heapLimitBytes?: number;
}

/** What {@link useBackend} set up. */
export interface BackendInfo {
  /** Name passed to `useBackend`. */
  name: BackendName;
  /** tfjs backend name now active (`tensorflow` for node / node-gpu). */
  tfBackend: string;
  /** Threads used by the backend's kernels (1 for cpu; the XNNPACK pool for wasm; 0 when unknown). */
  threads: number;
}

const NODE_PACKAGES: Record<'node-gpu' | 'node', string> = {
  'node-gpu': ['@tensorflow', 'tfjs-node-gpu'].join('/'),
  node: ['@tensorflow', 'tfjs-node'].join('/'),
};

type BackendFactory = () => tf.KernelBackend | Promise<tf.KernelBackend>;
/** tfjs-backend-wasm's own factory (registered when the package is imported), kept to re-register it. */
let stockWasmFactory: BackendFactory | null = null;

let wasmConfigured: { threads: number; fastKernels: boolean; heapLimitBytes: number } | null = null;

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.trim();
}

function isModuleNotFound(e: unknown, spec: string): boolean {
  const code = (e as { code?: string } | null)?.code;
  const msg = e instanceof Error ? e.message : String(e);
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (package|module)/.test(msg)) &&
    msg.includes(spec)
  );
}

async function activate(tfName: string, label: BackendName): Promise<void> {
  let ok: boolean;
  try {
    ok = await tf.setBackend(tfName);
  } catch (e) {
    throw new BackendError(`backend "${label}" failed to initialise: ${firstLine(e)}`);
  }
  if (!ok) throw new BackendError(`backend "${label}" failed to initialise (tf.setBackend('${tfName}') returned false)`);
  await tf.ready();
}

async function useWasm(opts: UseBackendOptions): Promise<BackendInfo> {
  const fastKernels = opts.fastKernels ?? true;
  const heapLimitBytes = opts.heapLimitBytes ?? DEFAULT_HEAP_LIMIT_BYTES;
  if (!(Number.isFinite(heapLimitBytes) && heapLimitBytes > 0)) {
    throw new BackendError(`heapLimitBytes must be a positive number, got ${String(opts.heapLimitBytes)}`);
  }
  const cores = await logicalCores();
  const node = isNode();
  const threadsAvailable = node || isCrossOriginIsolated();
  const threads = opts.threads ?? (threadsAvailable ? Math.min(Math.max(1, cores), MAX_WASM_THREADS) : 1);
  const wasmPkg = await import('@tensorflow/tfjs-backend-wasm');
  registerWasmKernels(fastKernels);
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
    if (node) {
      const { wasmBinaryPaths } = await import('./wasm/paths.js');
      if (threads > 1) {
        const { createThreadedNodeBackend } = await import('./wasm/threaded-node.js');
        tf.registerBackend('wasm', () => createThreadedNodeBackend(threads), 2);
      } else {
        wasmPkg.setWasmPaths(wasmBinaryPaths());
        wasmPkg.setThreadsCount(1);
        tf.registerBackend('wasm', stock, 2);
      }
    } else {
      if (threads > 1 && !isCrossOriginIsolated()) {
        throw new BackendError(`wasm threads=${threads} needs a cross-origin isolated page (COOP/COEP headers); use threads: 1`);
      }
      if (opts.wasmPaths !== undefined) wasmPkg.setWasmPaths(opts.wasmPaths as never);
      wasmPkg.setThreadsCount(threads);
      tf.registerBackend('wasm', stock, 2);
    }
  }
  await activate('wasm', 'wasm');
  const backend = tf.backend() as unknown as WasmBackendInternals;
  installHeapGuard(backend, heapLimitBytes);
  wasmConfigured = { threads, fastKernels, heapLimitBytes };
  return { name: 'wasm', tfBackend: 'wasm', threads: wasmPkg.getThreadsCount() };
}

/**
 * Selects the tfjs backend for the whole process: imports the backend package (the only place in the monorepo that
 * does), registers the kernels it lacks and the fast training kernels (wasm), and waits for `tf.ready()`.
 *
 * `node-gpu` and `node` need `@tensorflow/tfjs-node-gpu` / `@tensorflow/tfjs-node`, which are not dependencies of
 * this package (their install downloads libtensorflow); when missing, a one-line `BackendError` names the package.
 *
 * @example
 * ```ts
 * const info = await useBackend('wasm', { threads: 2 });
 * console.log(info.threads); // 2
 * ```
 */
export async function useBackend(name: BackendName, opts: UseBackendOptions = {}): Promise<BackendInfo> {
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new BackendError(`unknown backend "${String(name)}"; expected one of ${BACKEND_NAMES.join(', ')}`);
  }
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1 && opts.threads <= MAX_WASM_THREADS)) {
    throw new BackendError(`threads must be an integer from 1 to ${MAX_WASM_THREADS}, got ${String(opts.threads)}`);
  }
  if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
    await activate('cpu', 'cpu');
    return { name, tfBackend: 'cpu', threads: 1 };
  }
  if (name === 'wasm') return useWasm(opts);
  const spec = NODE_PACKAGES[name];
  if (!isNode()) throw new BackendError(`backend "${name}" only runs in Node.js (package ${spec})`);
  try {
    await import(/* @vite-ignore */ spec);
  } catch (e) {
    if (isModuleNotFound(e, spec)) {
      throw new BackendError(`backend "${name}" needs ${spec}, which is not installed: run \`npm install ${spec}@${tf.version_core}\``);
    }
    throw new BackendError(`backend "${name}": ${spec} failed to load: ${firstLine(e)}`);
  }
  await activate('tensorflow', name);
  return { name, tfBackend: 'tensorflow', threads: 0 };
}
