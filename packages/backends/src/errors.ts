import { AlbertError } from '@albert-ts/errors';

/**
 * Error thrown by `@albert-ts/backends` for anything the caller can fix: an unknown backend name, a
 * backend package that is not installed, a bad thread count, or a step that would exceed the wasm heap.
 * The message is always one line.
 */
export class BackendError extends AlbertError {
  override readonly name = 'BackendError';
}
