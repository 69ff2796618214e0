import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, BACKEND_NAMES, useBackend } from '@albert-ts/backends';

/**
 * Selects a TensorFlow.js backend through `@albert-ts/backends` (`wasm`, `cpu`, `node-gpu`, ...). Without a
 * name, keeps the current backend (the caller chose one). Unknown names throw the backends' one-line error.
 */
export async function selectBackend(name?: string): Promise<string> {
  if (name === undefined) {
    await tf.ready();
    return tf.getBackend();
  }
  await useBackend(name as BackendName);
  return tf.getBackend();
}

export { BACKEND_NAMES };
