import { AlbertTokenizer, albertPreprocess } from '../albert/albert-tokenizer.js';
import type { TrainerOptions } from './options.js';
import { trainSentencePiece } from './train.js';

/**
 * Trains the vocabulary of an ALBERT tokenizer: a SentencePiece model (unigram by default) with ALBERT's
 * `spm_train` flags on `sentences` preprocessed as {@link AlbertTokenizer} preprocesses its input
 * ({@link albertPreprocess}: lower-cased, accents stripped), so that training and encoding see the same text.
 * Returns the tokenizer; its `.model` bytes are `tokenizer.sp.toBytes()`.
 */
export function trainAlbertTokenizer(sentences: Iterable<string>, options: TrainerOptions): AlbertTokenizer {
  const lines: string[] = [];
  for (const s of sentences) lines.push(albertPreprocess(s));
  return AlbertTokenizer.fromBytes(trainSentencePiece(lines, options).bytes);
}
