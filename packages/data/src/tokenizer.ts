import type { TextDocument } from './document.js';
import { DataError } from './errors.js';

/**
 * The minimal tokenizer the instance builder needs. `@albert-ts/tokenizer`'s `AlbertTokenizer` satisfies it through
 * a small adapter; tests use a toy word-piece tokenizer.
 */
export interface PieceTokenizer {
  /** Number of ids; ids are `0 .. vocabSize-1`. */
  readonly vocabSize: number;
  /** Text → piece ids, without special tokens. */
  encode(text: string): number[];
  /** The piece string of an id (SentencePiece pieces mark a word start with `▁`, U+2581). */
  idToPiece(id: number): string;
  /** Ids of the special tokens used to build instances and batches. */
  readonly specialIds: { cls: number; sep: number; mask: number; pad: number };
  /**
   * Optional: true for other control ids (never masked, never drawn as a random replacement, and they separate
   * words like `[SEP]`). The four `specialIds` are always special.
   */
  isSpecial?(id: number): boolean;
  /** Optional: true for the unknown id(s): maskable like text, but never drawn as a random replacement. */
  isUnknown?(id: number): boolean;
}

/** A document after tokenization: one id array per sentence, empty sentences dropped. */
export interface TokenizedDocument {
  readonly id: string;
  readonly sentences: Int32Array[];
}

/** The word-start marker of SentencePiece pieces. */
export const WORD_START = '\u2581';

/** Tokenizes one document; returns null when no sentence has a token. */
export function tokenizeDocument(doc: TextDocument, tokenizer: PieceTokenizer): TokenizedDocument | null {
  const sentences: Int32Array[] = [];
  for (const s of doc.sentences) {
    const ids = tokenizer.encode(s);
    if (ids.length > 0) sentences.push(Int32Array.from(ids));
  }
  return sentences.length > 0 ? { id: doc.id, sentences } : null;
}

/** Tokenizes a stream or list of documents, dropping empty ones. */
export async function tokenizeDocuments(
  docs: AsyncIterable<TextDocument> | Iterable<TextDocument>,
  tokenizer: PieceTokenizer,
): Promise<TokenizedDocument[]> {
  const out: TokenizedDocument[] = [];
  for await (const d of docs) {
    const t = tokenizeDocument(d, tokenizer);
    if (t) out.push(t);
  }
  return out;
}

/** Per-tokenizer tables the masker needs: which ids start a word, which are special, the random-replacement pool. */
export interface VocabInfo {
  readonly specialIds: PieceTokenizer['specialIds'];
  readonly isWordStart: Uint8Array;
  readonly isSpecial: Uint8Array;
  readonly replacementIds: Int32Array;
}

/**
 * Builds {@link VocabInfo}: word start = piece beginning with `▁` (or a special piece); random replacements = all
 * ids that are neither special nor unknown.
 */
export function vocabInfo(tokenizer: PieceTokenizer): VocabInfo {
  const V = tokenizer.vocabSize;
  if (!Number.isInteger(V) || V < 5) throw new DataError(`tokenizer vocabSize must be an integer >= 5, got ${V}`);
  const { cls, sep, mask, pad } = tokenizer.specialIds;
  for (const [k, v] of Object.entries(tokenizer.specialIds)) {
    if (!Number.isInteger(v) || v < 0 || v >= V) throw new DataError(`tokenizer specialIds.${k} must be an id in [0, ${V}), got ${v}`);
  }
  const isWordStart = new Uint8Array(V);
  const isSpecial = new Uint8Array(V);
  const pool: number[] = [];
  for (let id = 0; id < V; id++) {
    const special = id === cls || id === sep || id === mask || id === pad || (tokenizer.isSpecial?.(id) ?? false);
    isSpecial[id] = special ? 1 : 0;
    isWordStart[id] = special || tokenizer.idToPiece(id).startsWith(WORD_START) ? 1 : 0;
    if (!special && !(tokenizer.isUnknown?.(id) ?? false)) pool.push(id);
  }
  if (pool.length === 0) throw new DataError('tokenizer has no non-special id to use as a random MLM replacement');
  return { specialIds: tokenizer.specialIds, isWordStart, isSpecial, replacementIds: Int32Array.from(pool) };
}

/**
 * The structural shape of `@albert-ts/tokenizer`'s `AlbertTokenizer` that {@link fromAlbertTokenizer} needs
 * (declared here so that this package does not import the tokenizer at runtime).
 */
export interface AlbertTokenizerLike {
  readonly vocabSize: number;
  encodeIds(text: string): number[];
  convertIdsToTokens(ids: readonly number[]): string[];
  readonly clsTokenId: number;
  readonly sepTokenId: number;
  readonly maskTokenId: number;
  readonly padTokenId: number;
  readonly unkTokenId: number;
  readonly sp: { isControl(id: number): boolean; isUnknown(id: number): boolean };
}

/**
 * Adapts an `AlbertTokenizer` (HF preprocessing: lower-casing, accent stripping, then SentencePiece) to
 * {@link PieceTokenizer}. Control pieces are special (never masked); `<unk>` is maskable but never drawn as a random
 * MLM replacement.
 */
export function fromAlbertTokenizer(tok: AlbertTokenizerLike): PieceTokenizer {
  return {
    vocabSize: tok.vocabSize,
    encode: (text) => tok.encodeIds(text),
    idToPiece: (id) => tok.convertIdsToTokens([id])[0],
    specialIds: { cls: tok.clsTokenId, sep: tok.sepTokenId, mask: tok.maskTokenId, pad: tok.padTokenId },
    isSpecial: (id) => tok.sp.isControl(id),
    isUnknown: (id) => id === tok.unkTokenId || tok.sp.isUnknown(id),
  };
}
