import { AlbertError } from '@albert-ts/core';

/**
 * Bad data or bad data options: an empty corpus, invalid UTF-8, an instance that does not fit a batch, a bad
 * option value. The message is one line and names the file/field and the offending value.
 */
export class DataError extends AlbertError {
  override readonly name = 'DataError';
}
