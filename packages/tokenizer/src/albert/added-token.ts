import { TokenizerError } from '../errors.js';

/**
 * HF `AddedToken`: a string the tokenizer splits out whole before SentencePiece sees the text (special tokens such
 * as `[MASK]`, and tokens added with `add_tokens`).
 */
export interface AddedToken {
  readonly content: string;
  /** Eat the whitespace on the token's left (ALBERT's `[MASK]`). */
  readonly lstrip?: boolean;
  /** Eat the whitespace on the token's right. */
  readonly rstrip?: boolean;
  /** Only match as a whole word. */
  readonly singleWord?: boolean;
  /** Matched in the lower-cased text (HF default: `!special`). */
  readonly normalized?: boolean;
  readonly special?: boolean;
}

/** A token given by its text (flags from the defaults) or in full. */
export type TokenSpec = string | AddedToken;

/** An {@link AddedToken} with every flag decided. */
export interface ResolvedAddedToken {
  readonly content: string;
  readonly lstrip: boolean;
  readonly rstrip: boolean;
  readonly singleWord: boolean;
  readonly normalized: boolean;
  readonly special: boolean;
}

/** Fills the flags of `spec` as HF does: a string gets no stripping and `normalized = !special`. */
export function resolveAddedToken(spec: TokenSpec, special: boolean, field: string): ResolvedAddedToken {
  if (typeof spec === 'string') {
    if (spec === '') throw new TokenizerError(`${field} must not be empty`);
    return { content: spec, lstrip: false, rstrip: false, singleWord: false, normalized: !special, special };
  }
  if (typeof spec !== 'object' || spec === null || typeof spec.content !== 'string' || spec.content === '') {
    throw new TokenizerError(`${field} must be a non-empty string or an AddedToken {content, ...}, got ${JSON.stringify(spec)}`);
  }
  const isSpecial = spec.special ?? special;
  return {
    content: spec.content,
    lstrip: spec.lstrip ?? false,
    rstrip: spec.rstrip ?? false,
    singleWord: spec.singleWord ?? false,
    normalized: spec.normalized ?? !isSpecial,
    special: isSpecial,
  };
}
