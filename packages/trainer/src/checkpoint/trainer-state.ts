import fs from 'node:fs';
import path from 'node:path';
import { readSafetensors, writeSafetensors } from '@albert-ts/core';
import { TrainerError } from '../errors.js';
import type { MetricsRecord } from '../metrics/jsonl.js';
import type { NamedArray } from '../optim/slots.js';
import type { CheckpointFile } from './layout.js';

/** Directory (inside a checkpoint) holding the trainer state. */
export const TRAINER_STATE_DIR = 'trainer_state';
const STATE_FILE = 'state.json';
const SLOTS_FILE = 'optimizer.safetensors';
/** Bumped when the state layout changes incompatibly. */
export const TRAINER_STATE_VERSION = 1;

/** Everything besides the weights that a run needs to continue exactly. */
export interface TrainerState {
  readonly formatVersion: number;
  /** `'pretrain'` or `'finetune'`. */
  readonly kind: string;
  /** Optimizer steps completed. */
  readonly step: number;
  /** Optimizer name (`lamb`/`adamw`). */
  readonly optimizer: string;
  /** Run options that must not change on resume (compared field by field). */
  readonly run: Record<string, unknown>;
  /** Random-number state: the run seed (dropout seeds derive from it and the step) and any stateful generators. */
  readonly rng: Record<string, unknown>;
  /** Opaque position of the training data stream. */
  readonly dataCursor: unknown;
  /** Tokens processed so far and wall time spent, for throughput/ETA across resumes. */
  readonly tokensSeen: number;
  readonly elapsedSeconds: number;
  /** Every metrics record up to this step. */
  readonly metrics: MetricsRecord[];
}

/** The files of `trainer_state/` for a checkpoint. */
export function trainerStateFiles(state: TrainerState, slots: Map<string, NamedArray>): CheckpointFile[] {
  return [
    { path: `${TRAINER_STATE_DIR}/${STATE_FILE}`, bytes: JSON.stringify(state, null, 1) + '\n' },
    {
      path: `${TRAINER_STATE_DIR}/${SLOTS_FILE}`,
      bytes: writeSafetensors(slots, { format: 'albert-ts', optimizer: state.optimizer, step: String(state.step) }),
    },
  ];
}

/** Reads `trainer_state/` of a checkpoint directory; throws TrainerError when missing or malformed. */
export function readTrainerState(checkpointDir: string): { state: TrainerState; slots: Map<string, NamedArray> } {
  const dir = path.join(checkpointDir, TRAINER_STATE_DIR);
  const stateFile = path.join(dir, STATE_FILE);
  if (!fs.existsSync(stateFile)) throw new TrainerError(`checkpoint ${checkpointDir} has no ${TRAINER_STATE_DIR}/${STATE_FILE}`);
  let state: TrainerState;
  try {
    state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as TrainerState;
  } catch (e) {
    throw new TrainerError(`${stateFile}: not valid JSON (${(e as Error).message})`);
  }
  if (state?.formatVersion !== TRAINER_STATE_VERSION || !Number.isInteger(state.step) || state.step < 0) {
    throw new TrainerError(`${stateFile}: unsupported trainer state (formatVersion ${String(state?.formatVersion)}, step ${String(state?.step)})`);
  }
  const slotsFile = path.join(dir, SLOTS_FILE);
  const slots = new Map<string, NamedArray>();
  if (fs.existsSync(slotsFile)) {
    for (const [name, t] of readSafetensors(new Uint8Array(fs.readFileSync(slotsFile)))) {
      slots.set(name, { shape: t.shape, data: t.data });
    }
  }
  return { state, slots };
}

/**
 * Throws TrainerError naming the first run option that differs between a checkpoint and the current invocation
 * (resuming with a different batch size, objective, ... would not continue the same run).
 */
export function checkResumeCompatible(saved: Record<string, unknown>, current: Record<string, unknown>): void {
  for (const key of Object.keys(current)) {
    const a = JSON.stringify(saved[key]);
    const b = JSON.stringify(current[key]);
    if (a !== b) throw new TrainerError(`--resume: ${key} is ${b} but the checkpoint was trained with ${a}`);
  }
}
