import * as tf from '@tensorflow/tfjs-core';
import type { WasmLoader } from './use-wasm.js';

/**
 * Node: the threaded-SIMD build with worker files from the package for `threads > 1` (the stock loader only uses
 * threads in browsers), the stock SIMD build from the package's `dist` otherwise; `threads − 1` SIMD helper threads.
 */
export const nodeWasmLoader: WasmLoader = {
  threadsAvailable: () => true,
  async register(threads, stock, wasmPkg) {
    const { wasmBinaryPaths } = await import('./paths.js');
    if (threads > 1) {
      const { createThreadedNodeBackend } = await import('./threaded-node.js');
      tf.registerBackend('wasm', () => createThreadedNodeBackend(threads), 2);
    } else {
      wasmPkg.setWasmPaths(wasmBinaryPaths());
      wasmPkg.setThreadsCount(1);
      tf.registerBackend('wasm', stock, 2);
    }
  },
  async started(backend, threads) {
    // Helper threads for this package's SIMD kernels (XNNPACK has its own pool; ours would run on one thread).
    const { startSimdPool } = await import('./simd/pool-node.js');
    await startSimdPool(backend, threads - 1);
  },
};
