// A HuggingFace model directory held in memory (file name → bytes): the form browsers get from a file picker or a
// zip, and the one the Node directory functions (`@albert-ts/core/node`) read from and write to disk.
import { CheckpointError, ConfigError } from '../errors.js';
import type { Objective } from '../interfaces/objective.js';
import type { AlbertModel } from '../model/albert-model.js';
import type { AlbertForPreTraining } from '../model/pretraining-model.js';
import { HF_WEIGHTS_FILE, readHfWeights } from './hf-weights.js';
import { type FromHfOptions, modelFromHf, toHfCheckpoint, type ToHfOptions } from './hf-names.js';
import { writeSafetensors } from './safetensors.js';

/** `config.json` of a HF model directory. */
export const HF_CONFIG_FILE = 'config.json';

/** Files of a HF model directory in memory, by file name (`config.json`, `model.safetensors`, `spiece.model`, …). */
export type HfFiles = ReadonlyMap<string, Uint8Array>;

/**
 * Parses `config.json` bytes; `source` names the file in errors (a path in Node). Throws {@link CheckpointError}
 * when the bytes are not JSON and {@link ConfigError} when the JSON is not an object.
 */
export function parseHfConfigJson(bytes: Uint8Array, source = HF_CONFIG_FILE): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new CheckpointError(`config.json is not valid JSON: ${source} (${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError('config', json, 'must be a JSON object');
  }
  return json as Record<string, unknown>;
}

function required(files: HfFiles, name: string): Uint8Array {
  const bytes = files.get(name);
  if (bytes === undefined) throw new CheckpointError(`${name} not found among the files (${[...files.keys()].join(', ') || 'none'})`);
  return bytes;
}

/**
 * Builds a model from the files of a HF directory (`config.json` + `model.safetensors`, or the shards of
 * `model.safetensors.index.json`; other files are ignored). Same semantics as `loadHfModel` of
 * `@albert-ts/core/node`.
 */
export function modelFromHfFiles(files: HfFiles, opts: FromHfOptions & { objectives: readonly Objective[] }): AlbertForPreTraining;
export function modelFromHfFiles(files: HfFiles, opts: FromHfOptions & { objectives?: undefined }): AlbertModel;
export function modelFromHfFiles(files: HfFiles, opts: FromHfOptions): AlbertModel | AlbertForPreTraining;
export function modelFromHfFiles(files: HfFiles, opts: FromHfOptions): AlbertModel | AlbertForPreTraining {
  const config = parseHfConfigJson(required(files, HF_CONFIG_FILE));
  const tensors = readHfWeights({ has: (n) => files.has(n), read: (n) => files.get(n)! }, `the files (${[...files.keys()].join(', ')})`);
  return modelFromHf(config, tensors, opts);
}

/** Options of {@link hfModelFiles}. */
export interface HfFilesOptions extends ToHfOptions {
  /** Keys added to (or replacing) config.json's, e.g. `architectures`, `id2label`. */
  readonly config?: Readonly<Record<string, unknown>>;
  /**
   * The tokenizer's files, saved next to the model (e.g. `spiece.model`; `tokenizerFiles(tok)` of
   * `@albert-ts/tokenizer`), so that the directory loads with `AutoTokenizer` too.
   */
  readonly tokenizerFiles?: HfFiles;
}

/**
 * The files of a HF directory for a model: `config.json` (plus `opts.config`), `model.safetensors` (float32,
 * `__metadata__ {format: pt}`) and the tokenizer files passed in; loadable by `AlbertForPreTraining.from_pretrained`
 * and by {@link modelFromHfFiles}. The one definition of what a saved model consists of: `saveHfModel` writes it
 * and every trainer checkpoint of an ALBERT model holds it.
 */
export function hfModelFiles(model: AlbertModel | AlbertForPreTraining, opts: HfFilesOptions = {}): Map<string, Uint8Array> {
  const { config, tensors } = toHfCheckpoint(model, opts);
  return new Map([
    [HF_CONFIG_FILE, new TextEncoder().encode(`${JSON.stringify({ ...config, ...opts.config }, null, 2)}\n`)],
    [HF_WEIGHTS_FILE, writeSafetensors(tensors, { format: 'pt' })],
    ...(opts.tokenizerFiles ?? []),
  ]);
}
