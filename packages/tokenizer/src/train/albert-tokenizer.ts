import { AlbertTokenizer, type AlbertTokenizerOptions } from '../albert/albert-tokenizer.js';
import { ALBERT_PREPROCESSING, type AlbertPreprocessing, tokenizerInputText } from '../albert/preprocess.js';
import type { TrainerOptions } from './options.js';
import { trainSentencePiece } from './train.js';

/** Options of {@link trainAlbertTokenizer}: the SentencePiece trainer's, plus the tokenizer's preprocessing. */
export interface AlbertTrainerOptions extends TrainerOptions {
  /**
   * How the tokenizer that will use the vocabulary preprocesses text; the training text is preprocessed the same
   * way. Default ALBERT's (`do_lower_case`, accents stripped); `CASED_PREPROCESSING` keeps case and accents.
   */
  preprocessing?: Partial<AlbertPreprocessing>;
  /** Further settings of the returned tokenizer (special tokens, `modelMaxLength`). */
  tokenizer?: Omit<AlbertTokenizerOptions, keyof AlbertPreprocessing>;
}

/**
 * Trains the vocabulary of an ALBERT tokenizer: a SentencePiece model (unigram by default) with ALBERT's
 * `spm_train` flags on `sentences` preprocessed exactly as the returned {@link AlbertTokenizer} preprocesses its
 * input (HF `tokenize`: lower-cased, whitespace cleaned, accents stripped, unless `preprocessing` says otherwise),
 * so that training and encoding see the same text and every piece can be produced (a vocabulary trained on raw
 * text keeps pieces such as `▁GNU` that a lower-casing tokenizer never emits). Returns the tokenizer with those
 * settings; `tokenizerFiles(tok)` saves them in `tokenizer_config.json`, and its `.model` bytes are
 * `tokenizer.sp.toBytes()`.
 */
export function trainAlbertTokenizer(sentences: Iterable<string>, options: AlbertTrainerOptions): AlbertTokenizer {
  const { preprocessing, tokenizer, ...trainerOptions } = options;
  const p: AlbertPreprocessing = { ...ALBERT_PREPROCESSING, ...preprocessing };
  function* prepared(): Generator<string> {
    for (const s of sentences) yield tokenizerInputText(s, p);
  }
  return AlbertTokenizer.fromBytes(trainSentencePiece(prepared(), trainerOptions).bytes, { ...tokenizer, ...p });
}
