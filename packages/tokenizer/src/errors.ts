import { AlbertError } from '@albert-ts/errors';

/**
 * Error for bad tokenizer input: an unreadable or corrupt model file, an invalid option, or text the tokenizer
 * cannot process. The message is always a single line naming the offending field or value.
 */
export class TokenizerError extends AlbertError {
  override readonly name = 'TokenizerError';
}
