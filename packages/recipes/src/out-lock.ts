import { withRunLock } from '@albert-ts/trainer/node';
import type { progressHook } from './progress.js';

/**
 * Runs `fn` holding the run lock of `out` (`withRunLock` of `@albert-ts/trainer/node`), with the lock's notes on
 * the recipe's progress stream; when the lock is refused, the progress reporter is closed before the error leaves.
 */
export async function withOutLock<T>(out: string, label: string, progress: ReturnType<typeof progressHook>, fn: () => Promise<T>): Promise<T> {
  let acquired = false;
  try {
    return await withRunLock(out, () => {
      acquired = true;
      return fn();
    }, { label, onNote: (line) => progress.reporter.message(line) });
  } catch (e) {
    if (!acquired) progress.reporter.close();
    throw e;
  }
}
