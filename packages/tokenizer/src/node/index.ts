// Node-only helpers (`@albert-ts/tokenizer/node`): read model files from disk. The main entry has no node: imports
// and works in the browser; there, fetch the bytes yourself and call `SentencePieceModel.fromBytes` or
// `tokenizerFromFiles`.

import fs from 'node:fs';
import path from 'node:path';
import { AlbertTokenizer, type AlbertTokenizerOptions } from '../albert/albert-tokenizer.js';
import { SPECIAL_TOKENS_MAP_FILE, TOKENIZER_CONFIG_FILE } from '../albert/tokenizer-config.js';
import { SPIECE_FILE, tokenizerFromFiles } from '../albert/tokenizer-files.js';
import { TokenizerError } from '../errors.js';
import { HfTokenizer } from '../hf/hf-tokenizer.js';
import { SentencePieceModel } from '../sentencepiece.js';

/** Largest tokenizer file read (a real `spiece.model` is under 1 MB, a `tokenizer.json` a few MB). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** Reads a file; a missing, unreadable or oversized file is a one-line {@link TokenizerError}. */
export function readModelFile(file: string): Uint8Array {
  try {
    if (fs.statSync(file).size > MAX_FILE_BYTES) throw new TokenizerError(`cannot read model file '${file}': larger than 256 MiB`);
    return new Uint8Array(fs.readFileSync(file));
  } catch (err) {
    if (err instanceof TokenizerError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new TokenizerError(`cannot read model file '${file}': ${reason}`, { cause: err });
  }
}

/** Loads a SentencePiece `.model` file. */
export function loadSentencePieceModel(file: string): SentencePieceModel {
  return SentencePieceModel.fromBytes(readModelFile(file));
}

/**
 * Loads the tokenizer of a HF model or tokenizer directory as `AutoTokenizer.from_pretrained(dir)` does:
 * `spiece.model` (required) with the settings of `tokenizer_config.json` and `special_tokens_map.json` when present
 * (see `tokenizerFromFiles`). `options` override the files'. A missing or bad file is a one-line
 * {@link TokenizerError}.
 */
export function loadTokenizerDir(dir: string, options: AlbertTokenizerOptions = {}): AlbertTokenizer {
  if (!fs.existsSync(path.join(dir, SPIECE_FILE))) {
    const hint = fs.existsSync(path.join(dir, 'tokenizer.json')) ? ' (it has a tokenizer.json: load that with loadHfTokenizer)' : '';
    throw new TokenizerError(`tokenizer directory '${dir}' has no ${SPIECE_FILE}${hint}`);
  }
  const files = new Map<string, Uint8Array>();
  for (const name of [SPIECE_FILE, TOKENIZER_CONFIG_FILE, SPECIAL_TOKENS_MAP_FILE]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) files.set(name, readModelFile(file));
  }
  try {
    return tokenizerFromFiles(files, options);
  } catch (err) {
    if (err instanceof TokenizerError && !err.message.includes(dir)) throw new TokenizerError(`${dir}: ${err.message}`, { cause: err });
    throw err;
  }
}

/**
 * Loads an {@link AlbertTokenizer} from a HF directory ({@link loadTokenizerDir}: the settings of its
 * `tokenizer_config.json`) or from a SentencePiece `.model` file (e.g. albert-base-v2's `spiece.model`, read with
 * albert-base-v2's settings). `options` override.
 */
export function loadAlbertTokenizer(pathOrDir: string, options: AlbertTokenizerOptions = {}): AlbertTokenizer {
  let isDir = false;
  try {
    isDir = fs.statSync(pathOrDir).isDirectory();
  } catch {
    // readModelFile below reports the missing path.
  }
  return isDir ? loadTokenizerDir(pathOrDir, options) : AlbertTokenizer.fromBytes(readModelFile(pathOrDir), options);
}

/** Loads a HuggingFace `tokenizer.json` with a Unigram model. */
export function loadHfTokenizer(file: string): HfTokenizer {
  return HfTokenizer.fromJson(new TextDecoder().decode(readModelFile(file)));
}
