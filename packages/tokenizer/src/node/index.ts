// Node-only helpers (`@albert-ts/tokenizer/node`): read model files from disk. The main entry has no node: imports
// and works in the browser; there, fetch the bytes yourself and call `SentencePieceModel.fromBytes`.

import fs from 'node:fs';
import path from 'node:path';
import { AlbertTokenizer, type AlbertTokenizerOptions } from '../albert/albert-tokenizer.js';
import { SPIECE_FILE } from '../albert/tokenizer-files.js';
import { TokenizerError } from '../errors.js';
import { HfTokenizer } from '../hf/hf-tokenizer.js';
import { SentencePieceModel } from '../sentencepiece.js';

/** Reads a file; a missing or unreadable file is a one-line {@link TokenizerError}. */
export function readModelFile(path: string): Uint8Array {
  try {
    return new Uint8Array(fs.readFileSync(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new TokenizerError(`cannot read model file '${path}': ${reason}`, { cause: err });
  }
}

/** Loads a SentencePiece `.model` file. */
export function loadSentencePieceModel(path: string): SentencePieceModel {
  return SentencePieceModel.fromBytes(readModelFile(path));
}

/** Loads an {@link AlbertTokenizer} from a SentencePiece `.model` file (e.g. albert-base-v2's `spiece.model`). */
export function loadAlbertTokenizer(path: string, options?: AlbertTokenizerOptions): AlbertTokenizer {
  return AlbertTokenizer.fromBytes(readModelFile(path), options);
}

/**
 * Loads the tokenizer saved in a HF model directory (`spiece.model`, as `tokenizerFiles` writes it). A
 * missing file is a one-line {@link TokenizerError}.
 */
export function loadTokenizerDir(dir: string, options?: AlbertTokenizerOptions): AlbertTokenizer {
  return loadAlbertTokenizer(path.join(dir, SPIECE_FILE), options);
}

/** Loads a HuggingFace `tokenizer.json` with a Unigram model. */
export function loadHfTokenizer(path: string): HfTokenizer {
  return HfTokenizer.fromJson(new TextDecoder().decode(readModelFile(path)));
}
