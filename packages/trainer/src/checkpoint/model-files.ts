import fs from 'node:fs';
import path from 'node:path';
import {
  type AlbertForPreTraining, type AlbertModel, type HfTensor, readSafetensors, toHfCheckpoint, writeSafetensors,
} from '@albert-ts/core';
import { TrainerError } from '../errors.js';
import type { CheckpointFile } from './layout.js';

/** File names of the HF part of a checkpoint. */
export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';
export const SPIECE_FILE = 'spiece.model';

/**
 * The HF-compatible files of a model: `config.json` (plus `extraConfig` keys), `model.safetensors` (torch names
 * and layouts, `{"format":"pt"}` metadata) and the tokenizer's `spiece.model`. `extraTensors` (already in torch
 * layout) are added to the state dict, e.g. a fine-tuning `classifier.*`.
 */
export function modelCheckpointFiles(
  model: AlbertModel | AlbertForPreTraining,
  spieceModel: Uint8Array,
  extraConfig: Record<string, unknown> = {},
  extraTensors: Map<string, HfTensor> = new Map(),
  prefix = '',
): CheckpointFile[] {
  const hf = toHfCheckpoint(model);
  const tensors = new Map<string, HfTensor>();
  for (const [name, t] of hf.tensors) tensors.set(prefix + name, t);
  for (const [name, t] of extraTensors) tensors.set(name, t);
  return [
    { path: CONFIG_FILE, bytes: JSON.stringify({ ...hf.config, ...extraConfig }, null, 2) + '\n' },
    { path: WEIGHTS_FILE, bytes: writeSafetensors(tensors, { format: 'pt' }) },
    { path: SPIECE_FILE, bytes: spieceModel },
  ];
}

/** The HF files of a checkpoint directory, parsed. */
export interface ModelFiles {
  readonly config: Record<string, unknown>;
  readonly tensors: Map<string, HfTensor>;
  readonly spieceModel: Uint8Array;
}

/** Reads `config.json`, `model.safetensors` and `spiece.model` of a checkpoint; TrainerError when one is missing. */
export function readModelFiles(dir: string): ModelFiles {
  for (const f of [CONFIG_FILE, WEIGHTS_FILE, SPIECE_FILE]) {
    if (!fs.existsSync(path.join(dir, f))) throw new TrainerError(`model: ${dir} has no ${f}`);
  }
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(fs.readFileSync(path.join(dir, CONFIG_FILE), 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new TrainerError(`model: ${path.join(dir, CONFIG_FILE)} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const tensors = new Map<string, HfTensor>();
  for (const [name, t] of readSafetensors(new Uint8Array(fs.readFileSync(path.join(dir, WEIGHTS_FILE))))) {
    tensors.set(name, { shape: t.shape, data: t.data });
  }
  return { config, tensors, spieceModel: new Uint8Array(fs.readFileSync(path.join(dir, SPIECE_FILE))) };
}
