import type { AlbertTokenizer } from './albert-tokenizer.js';

/** The SentencePiece model file of an ALBERT directory (HF `AlbertTokenizer`'s `vocab_file`). */
export const SPIECE_FILE = 'spiece.model';

/**
 * The files that save `tokenizer` in a HF model directory, by file name (the form of `@albert-ts/core`'s `HfFiles`),
 * next to `config.json` and `model.safetensors` (`hfModelFiles(model, { tokenizerFiles: tokenizerFiles(tok) })`):
 * `spiece.model`.
 */
export function tokenizerFiles(tokenizer: AlbertTokenizer): Map<string, Uint8Array> {
  return new Map([[SPIECE_FILE, tokenizer.sp.toBytes()]]);
}
