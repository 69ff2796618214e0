import { activate, useCpu } from '../activate.js';
import { BackendError } from '../errors.js';
import { type BackendInfo, type BackendName, checkRequest, NODE_ONLY_BACKENDS, type UseBackendOptions } from '../names.js';
import { useWasm } from '../wasm/use-wasm.js';
import { browserWasmLoader } from './wasm-loader.js';
import { useWebGpu } from './webgpu.js';

/** Backends `useBackend` runs in browsers (this entry point), in order of preference for training. */
export const BACKEND_NAMES = ['webgpu', 'wasm', 'webgl', 'cpu'] as const satisfies readonly BackendName[];

/**
 * Selects the tfjs backend of this page or worker (browser entry point of `@albert-ts/backends`, chosen by the
 * `browser` export condition): `webgpu` (needs `navigator.gpu` and an adapter), `wasm` (threaded when the page is
 * cross-origin isolated; binaries served from this package's `wasm/` folder unless `wasmPaths` is given), `webgl`,
 * `cpu`. Each unavailable backend is a one-line `BackendError`, so callers can try the next one.
 *
 * @example
 * ```ts
 * const info = await useBackend('wasm', { threads: 2 }); // needs COOP/COEP headers
 * ```
 */
export async function useBackend(name: BackendName, opts: UseBackendOptions = {}): Promise<BackendInfo> {
  checkRequest(name, opts, BACKEND_NAMES);
  if (NODE_ONLY_BACKENDS.includes(name)) {
    throw new BackendError(`backend "${name}" only runs in Node.js; in browsers use one of ${BACKEND_NAMES.join(', ')}`);
  }
  switch (name) {
    case 'cpu':
      return useCpu();
    case 'wasm':
      return useWasm(opts, browserWasmLoader);
    case 'webgpu':
      return useWebGpu();
    default:
      await import('@tensorflow/tfjs-backend-webgl');
      await activate('webgl', 'webgl');
      return { name: 'webgl', tfBackend: 'webgl', threads: 0 };
  }
}
