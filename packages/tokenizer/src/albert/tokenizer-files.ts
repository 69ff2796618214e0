import { TokenizerError } from '../errors.js';
import { AlbertTokenizer, type AlbertTokenizerOptions } from './albert-tokenizer.js';
import {
  albertTokenizerOptionsFromHf, hfTokenizerConfig, SPECIAL_TOKENS_MAP_FILE, TOKENIZER_CONFIG_FILE,
} from './tokenizer-config.js';

/** The SentencePiece model file of an ALBERT directory (HF `AlbertTokenizer`'s `vocab_file`). */
export const SPIECE_FILE = 'spiece.model';

/** Options of {@link tokenizerFiles}. */
export interface TokenizerFilesOptions {
  /** `model_max_length` to record (checkpoint writers pass the model's `max_position_embeddings`). */
  readonly modelMaxLength?: number;
}

/**
 * The files that save `tokenizer` in a HF model directory, by file name (the form of `@albert-ts/core`'s `HfFiles`),
 * next to `config.json` and `model.safetensors` (`hfModelFiles(model, { tokenizerFiles: tokenizerFiles(tok) })`):
 * `spiece.model` (the exact bytes it was loaded from), and `tokenizer_config.json` + `special_tokens_map.json` with
 * its settings, as transformers v4.36.2's `save_pretrained` writes them.
 */
export function tokenizerFiles(tokenizer: AlbertTokenizer, options: TokenizerFilesOptions = {}): Map<string, Uint8Array> {
  const { tokenizerConfig, specialTokensMap } = hfTokenizerConfig(tokenizer, options);
  const utf8 = new TextEncoder();
  return new Map([
    [SPIECE_FILE, tokenizer.sp.toBytes()],
    [TOKENIZER_CONFIG_FILE, utf8.encode(tokenizerConfig)],
    [SPECIAL_TOKENS_MAP_FILE, utf8.encode(specialTokensMap)],
  ]);
}

function parseJson(bytes: Uint8Array | undefined, name: string): unknown {
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new TokenizerError(`${name} is not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
}

/**
 * The tokenizer of a HF directory's files (file name → bytes; from disk, a file picker or a zip): `spiece.model`
 * with the settings of `tokenizer_config.json` and `special_tokens_map.json` when present, read as
 * `AutoTokenizer.from_pretrained` reads them (see `albertTokenizerOptionsFromHf`). `options` override the files'.
 */
export function tokenizerFromFiles(files: ReadonlyMap<string, Uint8Array>, options: AlbertTokenizerOptions = {}): AlbertTokenizer {
  const spiece = files.get(SPIECE_FILE);
  if (spiece === undefined) {
    const hint = files.has('tokenizer.json') ? ' (there is a tokenizer.json: load that with HfTokenizer)' : '';
    throw new TokenizerError(`no ${SPIECE_FILE} among the tokenizer files${hint}`);
  }
  const fromFiles = albertTokenizerOptionsFromHf(
    parseJson(files.get(TOKENIZER_CONFIG_FILE), TOKENIZER_CONFIG_FILE), parseJson(files.get(SPECIAL_TOKENS_MAP_FILE), SPECIAL_TOKENS_MAP_FILE));
  return AlbertTokenizer.fromBytes(spiece, { ...fromFiles, ...options });
}
