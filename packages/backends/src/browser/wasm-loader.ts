import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';
import { isCrossOriginIsolated } from '../runtime.js';
import type { WasmLoader } from '../wasm/use-wasm.js';

/**
 * URLs of the three tfjs wasm binaries copied into this package's `wasm/` folder at build time. Written as
 * `new URL('<literal>', import.meta.url)` so that bundlers emit them as static assets (nothing from a CDN); the
 * relative path is the same from `src/browser/` and `dist/browser/`.
 */
export function bundledWasmPaths(): Record<string, string> {
  return {
    'tfjs-backend-wasm.wasm': new URL('../../wasm/tfjs-backend-wasm.wasm', import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL('../../wasm/tfjs-backend-wasm-simd.wasm', import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL('../../wasm/tfjs-backend-wasm-threaded-simd.wasm', import.meta.url).href,
  };
}

/**
 * Browsers: tfjs-backend-wasm's own loader, which uses the threaded-SIMD build (pthreads from a Blob URL) when the
 * page or worker is cross-origin isolated, and the SIMD build otherwise.
 */
export const browserWasmLoader: WasmLoader = {
  threadsAvailable: isCrossOriginIsolated,
  async register(threads, stock, wasmPkg, opts) {
    if (threads > 1 && !isCrossOriginIsolated()) {
      throw new BackendError(
        `wasm threads=${threads} needs a cross-origin isolated page (COOP/COEP headers); use threads: 1`);
    }
    wasmPkg.setWasmPaths((opts.wasmPaths ?? bundledWasmPaths()) as never);
    wasmPkg.setThreadsCount(threads);
    if (threads === 1) {
      tf.registerBackend('wasm', stock, 2);
      return;
    }
    tf.registerBackend('wasm', async () => {
      const restore = presentLogicalCores(2 * threads);
      try {
        return await stock();
      } finally {
        restore();
      }
    }, 2);
  },
};

/**
 * The threaded module caps its XNNPACK pool at half of `navigator.hardwareConcurrency`, read while it starts (the
 * Node loader works around the same cap through `os.cpus()`). Presents `cores` until the returned function runs.
 */
function presentLogicalCores(cores: number): () => void {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav === undefined) return () => undefined;
  Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => cores });
  return () => {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  };
}
