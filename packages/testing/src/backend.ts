import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmFallbackKernels } from './wasm-fallback-kernels.js';

/** Backends the test suites run on. */
export type TestBackend = 'cpu' | 'wasm';

const require = createRequire(import.meta.url);

/**
 * Activates a backend for tests. Prefers `useBackend` from `@albert-ts/backends` (which also registers the kernels
 * wasm lacks for gradients); falls back to importing the backend package directly (wasm binaries are loaded from
 * the package's `dist/` directory) and registering test-only fallbacks for kernels wasm lacks.
 */
export async function useTestBackend(name: TestBackend): Promise<void> {
  const backends = (await import('@albert-ts/backends')) as Record<string, unknown>;
  if (typeof backends['useBackend'] === 'function') {
    await (backends['useBackend'] as (n: string) => Promise<unknown>)(name);
    if (tf.getBackend() !== name) throw new Error(`useBackend('${name}') left backend ${tf.getBackend()}`);
    return;
  }
  if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    wasm.setWasmPaths(path.join(dist, 'dist') + path.sep);
    registerWasmFallbackKernels();
  }
  if (!(await tf.setBackend(name))) throw new Error(`could not initialise the ${name} backend`);
  await tf.ready();
}
