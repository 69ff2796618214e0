import { AlbertError } from '@albert-ts/errors';

/** Bad ablation arguments or an output directory that belongs to another grid; one-line message. */
export class AblationError extends AlbertError {
  override readonly name = 'AblationError';
}

/** A run stopped by SIGINT/SIGTERM after saving its checkpoint; re-running with the same --out resumes it. */
export class AblationInterrupted extends Error {
  override readonly name = 'AblationInterrupted';
}
