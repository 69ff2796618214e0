// `--backend`, for the commands that run a model (kept out of args.ts: importing the backends loads TensorFlow.js,
// which `albert tokenize` never does).
import { BACKEND_NAMES, type BackendName, useBackend } from '@albert-ts/backends';
import * as tf from '@tensorflow/tfjs-core';
import { choiceOption } from './args.js';
import { markBackendSelected } from './backend-state.js';

/** Usage text of `--backend`, from `@albert-ts/backends`' list. */
export const BACKEND_USAGE = BACKEND_NAMES.join('|');

/**
 * Activates the `--backend` the user chose (the application chooses the backend; libraries never do); without
 * one, `fallback` when given, else the current default backend.
 */
export async function selectBackend(value: string | undefined, fallback?: BackendName): Promise<void> {
  // In Node the cpu backend prints a "use tfjs-node" banner on stderr unless PROD is set; stderr is for errors.
  tf.env().set('PROD', true);
  markBackendSelected();
  const name = value ?? fallback;
  if (name !== undefined) await useBackend(choiceOption(name, 'backend', BACKEND_NAMES));
  else await tf.ready();
}
