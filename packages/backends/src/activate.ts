import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from './errors.js';
import type { BackendName } from './names.js';

/** First line of an error's message (backend errors are always one line). */
export function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.trim();
}

/** `tf.setBackend(tfName)` + `tf.ready()`, turning failures into a one-line {@link BackendError}. */
export async function activate(tfName: string, label: BackendName): Promise<void> {
  let ok: boolean;
  try {
    ok = await tf.setBackend(tfName);
  } catch (e) {
    throw new BackendError(`backend "${label}" failed to initialise: ${firstLine(e)}`);
  }
  if (!ok) throw new BackendError(`backend "${label}" failed to initialise (tf.setBackend('${tfName}') returned false)`);
  await tf.ready();
}

/** Activates tfjs-backend-cpu. */
export async function useCpu(): Promise<{ name: 'cpu'; tfBackend: 'cpu'; threads: 1 }> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu', 'cpu');
  return { name: 'cpu', tfBackend: 'cpu', threads: 1 };
}
