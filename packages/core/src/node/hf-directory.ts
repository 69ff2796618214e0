// HuggingFace model directory IO (Node only): `config.json` + `model.safetensors`.
import fs from 'node:fs';
import path from 'node:path';
import { HF_CONFIG_FILE, HF_WEIGHTS_FILE, hfModelFiles, parseHfConfigJson } from '../checkpoint/hf-files.js';
import { type FromHfOptions, modelFromHf, type ToHfOptions } from '../checkpoint/hf-names.js';
import { readSafetensors } from '../checkpoint/safetensors.js';
import { CheckpointError } from '../errors.js';
import type { Objective } from '../interfaces/objective.js';
import type { AlbertModel } from '../model/albert-model.js';
import type { AlbertForPreTraining } from '../model/pretraining-model.js';
import { writeFileAtomicSync } from './atomic-write.js';

/** Largest checkpoint file read into memory (8 GiB); larger files are refused before allocation. */
const MAX_CHECKPOINT_BYTES = 8 * 1024 ** 3;

function readFileChecked(file: string, what: string): Uint8Array {
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

/**
 * Loads a HF model directory (`config.json` + `model.safetensors`; AlbertModel or AlbertForPreTraining names, with
 * or without tied duplicates, F32/F16/BF16). Returns an {@link AlbertForPreTraining} when `objectives` are given
 * (their weights must be in the file), else an {@link AlbertModel} (head tensors are ignored, as HF does).
 * Browsers call {@link modelFromHfFiles}, which runs the same parsing and loading on files held in memory.
 */
export function loadHfModel(dir: string, opts: FromHfOptions & { objectives: readonly Objective[] }): AlbertForPreTraining;
export function loadHfModel(dir: string, opts: FromHfOptions & { objectives?: undefined }): AlbertModel;
export function loadHfModel(dir: string, opts: FromHfOptions): AlbertModel | AlbertForPreTraining;
export function loadHfModel(dir: string, opts: FromHfOptions): AlbertModel | AlbertForPreTraining {
  const config = readHfConfigJson(dir);
  const tensors = readSafetensors(readFileChecked(path.join(dir, HF_WEIGHTS_FILE), HF_WEIGHTS_FILE));
  return modelFromHf(config, tensors, opts);
}

/**
 * Saves a model as a HF directory: `config.json` and `model.safetensors` (float32, `__metadata__ {format: pt}`),
 * loadable by `AlbertForPreTraining.from_pretrained` (or `AlbertModel` for a bare encoder) and by
 * {@link loadHfModel}. Sharing HF cannot express is saved as not-shared groups + `albert_ts_sharing`.
 */
export function saveHfModel(dir: string, model: AlbertModel | AlbertForPreTraining, opts: ToHfOptions = {}): void {
  fs.mkdirSync(dir, { recursive: true });
  const files = hfModelFiles(model, opts);
  // Weights first: a directory whose config.json exists always has the matching weights.
  writeFileAtomicSync(path.join(dir, HF_WEIGHTS_FILE), files.get(HF_WEIGHTS_FILE)!);
  writeFileAtomicSync(path.join(dir, HF_CONFIG_FILE), files.get(HF_CONFIG_FILE)!);
}
