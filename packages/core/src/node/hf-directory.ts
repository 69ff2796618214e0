// HuggingFace model directory IO (Node only): `config.json` + `model.safetensors`.
import fs from 'node:fs';
import path from 'node:path';
import { readSafetensors, writeSafetensors } from '../checkpoint/safetensors.js';
import { type FromHfOptions, modelFromHf, toHfCheckpoint, type ToHfOptions } from '../checkpoint/hf-names.js';
import { CheckpointError, ConfigError } from '../errors.js';
import type { Objective } from '../interfaces/objective.js';
import type { AlbertModel } from '../model/albert-model.js';
import type { AlbertForPreTraining } from '../model/pretraining-model.js';
import { writeFileAtomicSync } from './atomic-write.js';

/** Largest checkpoint file read into memory (8 GiB); larger files are refused before allocation. */
const MAX_CHECKPOINT_BYTES = 8 * 1024 ** 3;

function readFileChecked(file: string, what: string): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new CheckpointError(`${what} not found: ${file}`);
  }
  if (!stat.isFile()) throw new CheckpointError(`${what} is not a file: ${file}`);
  if (stat.size > MAX_CHECKPOINT_BYTES) throw new CheckpointError(`${what} is larger than 8 GiB: ${file}`);
  return fs.readFileSync(file);
}

/** Reads and parses `<dir>/config.json` (throws {@link CheckpointError} when missing or not JSON). */
export function readHfConfigJson(dir: string): Record<string, unknown> {
  const file = path.join(dir, 'config.json');
  const text = readFileChecked(file, 'config.json').toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`config.json is not valid JSON: ${file} (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError('config', json, 'must be a JSON object');
  }
  return json as Record<string, unknown>;
}

/**
 * Loads a HF model directory (`config.json` + `model.safetensors`; AlbertModel or AlbertForPreTraining names, with
 * or without tied duplicates, F32/F16/BF16). Returns an {@link AlbertForPreTraining} when `objectives` are given
 * (their weights must be in the file), else an {@link AlbertModel} (head tensors are ignored, as HF does).
 */
export function loadHfModel(dir: string, opts: FromHfOptions & { objectives: readonly Objective[] }): AlbertForPreTraining;
export function loadHfModel(dir: string, opts: FromHfOptions & { objectives?: undefined }): AlbertModel;
export function loadHfModel(dir: string, opts: FromHfOptions): AlbertModel | AlbertForPreTraining;
export function loadHfModel(dir: string, opts: FromHfOptions): AlbertModel | AlbertForPreTraining {
  const config = readHfConfigJson(dir);
  const file = path.join(dir, 'model.safetensors');
  const bytes = readFileChecked(file, 'model.safetensors');
  const tensors = readSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return modelFromHf(config, tensors, opts);
}

/**
 * Saves a model as a HF directory: `config.json` and `model.safetensors` (float32, `__metadata__ {format: pt}`),
 * loadable by `AlbertForPreTraining.from_pretrained` (or `AlbertModel` for a bare encoder) and by
 * {@link loadHfModel}. Sharing HF cannot express is saved as not-shared groups + `albert_ts_sharing`.
 */
export function saveHfModel(dir: string, model: AlbertModel | AlbertForPreTraining, opts: ToHfOptions = {}): void {
  fs.mkdirSync(dir, { recursive: true });
  const { config, tensors } = toHfCheckpoint(model, opts);
  writeFileAtomicSync(path.join(dir, 'model.safetensors'), writeSafetensors(tensors, { format: 'pt' }));
  writeFileAtomicSync(path.join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
}
