import * as tf from '@tensorflow/tfjs-core';
import { activate, firstLine, useCpu } from './activate.js';
import { BackendError } from './errors.js';
import {
  type BackendInfo, type BackendName, BROWSER_ONLY_BACKENDS, checkRequest, type UseBackendOptions,
} from './names.js';
import { isNode } from './runtime.js';
import { nodeWasmLoader } from './wasm/node-loader.js';
import { useWasm } from './wasm/use-wasm.js';

/** Backends `useBackend` runs in Node.js (this entry point), in a typical order of preference for training. */
export const BACKEND_NAMES = ['cpu', 'wasm', 'node-gpu', 'node'] as const satisfies readonly BackendName[];

const NODE_PACKAGES: Record<'node-gpu' | 'node', string> = {
  'node-gpu': ['@tensorflow', 'tfjs-node-gpu'].join('/'),
  node: ['@tensorflow', 'tfjs-node'].join('/'),
};

function isModuleNotFound(e: unknown, spec: string): boolean {
  const code = (e as { code?: string } | null)?.code;
  const msg = e instanceof Error ? e.message : String(e);
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (package|module)/.test(msg)) &&
    msg.includes(spec)
  );
}

/**
 * Selects the tfjs backend for the whole process: imports the backend package (the only place in the monorepo that
 * does), registers the kernels it lacks and the fast training kernels (wasm), and waits for `tf.ready()`.
 *
 * This is the Node.js entry point (`cpu`, `wasm`, `node-gpu`, `node`); bundlers targeting browsers get the browser
 * entry point (`webgpu`, `webgl`, `wasm`, `cpu`) through the `browser` export condition.
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
  checkRequest(name, opts, BACKEND_NAMES);
  if (BROWSER_ONLY_BACKENDS.includes(name)) {
    throw new BackendError(`backend "${name}" only runs in browsers; in Node.js use one of ${BACKEND_NAMES.join(', ')}`);
  }
  if (name === 'cpu') return useCpu();
  if (name === 'wasm') return useWasm(opts, nodeWasmLoader);
  const spec = NODE_PACKAGES[name as 'node-gpu' | 'node'];
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
