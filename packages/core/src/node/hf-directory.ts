// HuggingFace model directory IO (Node only): the files of `hfModelFiles` on disk, and back.
import fs from 'node:fs';
import path from 'node:path';
import {
  HF_CONFIG_FILE, type HfFiles, type HfFilesOptions, hfModelFiles, parseHfConfigJson,
} from '../checkpoint/hf-files.js';
import { type FromHfOptions, type HfTensor, modelFromHf } from '../checkpoint/hf-names.js';
import { MAX_CHECKPOINT_BYTES, readHfWeights } from '../checkpoint/hf-weights.js';
import { CheckpointError } from '../errors.js';
import type { Objective } from '../interfaces/objective.js';
import type { AlbertModel } from '../model/albert-model.js';
import type { AlbertForPreTraining } from '../model/pretraining-model.js';
import { writeFileAtomicSync } from './atomic-write.js';

/** Reads a file of at most 8 GiB; a missing file, a directory or a larger file is a {@link CheckpointError}. */
export function readFileChecked(file: string, what: string): Uint8Array {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new CheckpointError(`${what} not found: ${file}`);
  }
  if (!stat.isFile()) throw new CheckpointError(`${what} is not a file: ${file}`);
  if (stat.size > MAX_CHECKPOINT_BYTES) throw new CheckpointError(`${what} is larger than 8 GiB: ${file}`);
  const buf = fs.readFileSync(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Reads and parses `<dir>/config.json` (throws {@link CheckpointError} when missing or not JSON). */
export function readHfConfigJson(dir: string): Record<string, unknown> {
  const file = path.join(dir, HF_CONFIG_FILE);
  return parseHfConfigJson(readFileChecked(file, HF_CONFIG_FILE), file);
}

/** A HF model directory, parsed: `config.json` and the tensors of `model.safetensors` or its shards (float32). */
export interface HfDirectory {
  readonly config: Record<string, unknown>;
  readonly tensors: Map<string, HfTensor>;
}

/**
 * Reads `config.json` and the weights of a directory: `model.safetensors`, or `model.safetensors.index.json` and its
 * shards. A directory with only `pytorch_model.bin` (or `tf_model.h5`, ...) gets one line saying how to convert it;
 * every other problem is a one-line {@link CheckpointError} too.
 */
export function readHfDirectory(dir: string): HfDirectory {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CheckpointError(`model directory not found: ${dir}`);
  const config = readHfConfigJson(dir);
  const weights = readHfWeights({
    has: (name) => fs.existsSync(path.join(dir, name)),
    read: (name) => readFileChecked(path.join(dir, name), name),
    size: (name) => fs.statSync(path.join(dir, name)).size,
  }, dir);
  const tensors = new Map<string, HfTensor>();
  for (const [name, t] of weights) tensors.set(name, { shape: t.shape, data: t.data });
  return { config, tensors };
}

/**
 * Loads a HF model directory (`config.json` + `model.safetensors` or its shards; AlbertModel or AlbertForPreTraining names, with
 * or without tied duplicates, F32/F16/BF16). Returns an {@link AlbertForPreTraining} when `objectives` are given
 * (their weights must be in the file), else an {@link AlbertModel} (head tensors are ignored, as HF does).
 * Browsers call `modelFromHfFiles`, which runs the same parsing and loading on files held in memory.
 */
export function loadHfModel(dir: string, opts: FromHfOptions & { objectives: readonly Objective[] }): AlbertForPreTraining;
export function loadHfModel(dir: string, opts: FromHfOptions & { objectives?: undefined }): AlbertModel;
export function loadHfModel(dir: string, opts: FromHfOptions): AlbertModel | AlbertForPreTraining;
export function loadHfModel(dir: string, opts: FromHfOptions): AlbertModel | AlbertForPreTraining {
  const { config, tensors } = readHfDirectory(dir);
  return modelFromHf(config, tensors, opts);
}

/**
 * Writes files into `dir` (created if needed), each atomically; `config.json` last, so that a directory whose
 * config.json exists always has the matching weights.
 */
export function writeFiles(dir: string, files: HfFiles): void {
  const names = [...files.keys()].sort((a, b) => Number(a === HF_CONFIG_FILE) - Number(b === HF_CONFIG_FILE));
  for (const name of names) {
    const target = path.join(dir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    writeFileAtomicSync(target, files.get(name)!);
  }
}

/**
 * Saves a model as a HF directory (`hfModelFiles`: `config.json`, `model.safetensors` and the tokenizer files
 * passed in), loadable by `AlbertForPreTraining.from_pretrained` (or `AlbertModel` for a bare encoder) and by
 * {@link loadHfModel}. Sharing HF cannot express is saved as not-shared groups + `albert_ts_sharing`.
 */
export function saveHfModel(dir: string, model: AlbertModel | AlbertForPreTraining, opts: HfFilesOptions = {}): void {
  writeFiles(dir, hfModelFiles(model, opts));
}
