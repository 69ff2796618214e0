import { type HfFiles, readSafetensors, writeSafetensors } from '@albert-ts/core';
import { TrainerError } from '../errors.js';
import type { MetricsRecord } from '../metrics/log.js';
import type { NamedArray } from '../optim/slots.js';

/** Directory (inside a checkpoint) holding the trainer state. */
export const TRAINER_STATE_DIR = 'trainer_state';
const STATE_FILE = `${TRAINER_STATE_DIR}/state.json`;
const SLOTS_FILE = `${TRAINER_STATE_DIR}/optimizer.safetensors`;
/** Bumped when the state layout changes incompatibly. */
export const TRAINER_STATE_VERSION = 2;

/** Everything besides the weights that a run needs to continue exactly. */
export interface TrainerState {
  readonly formatVersion: number;
  /** Optimizer steps completed. */
  readonly step: number;
  /** Optimizer name (`lamb`/`adamw`). */
  readonly optimizer: string;
  /**
   * Settings that must not change on resume, compared key by key: the trainer's (steps, schedule, optimizer and
   * its hyper-parameters, accumulation, clipping, seed) plus the caller's `run` (batch size, data, model, ...).
   */
  readonly run: Readonly<Record<string, unknown>>;
  /** Opaque position of the batch stream (`state()` of a batch source), when it has one. */
  readonly dataCursor: unknown;
  /** Tokens processed so far and wall time spent, for throughput across resumes. */
  readonly tokensSeen: number;
  readonly elapsedSeconds: number;
  /** Every metrics record up to this step. */
  readonly metrics: readonly MetricsRecord[];
}

/** The files of `trainer_state/` for a checkpoint: `state.json` and the optimizer slots. */
export function trainerStateFiles(state: TrainerState, slots: Map<string, NamedArray>): HfFiles {
  return new Map([
    [STATE_FILE, new TextEncoder().encode(JSON.stringify(state, null, 1) + '\n')],
    [SLOTS_FILE, writeSafetensors(slots, { format: 'albert-ts', optimizer: state.optimizer, step: String(state.step) })],
  ]);
}

/**
 * Parses `trainer_state/` of a checkpoint from its files (`read(path)` returns a file's bytes, undefined when
 * missing); throws {@link TrainerError} when missing or malformed. `where` names the checkpoint in messages.
 */
export function parseTrainerState(
  read: (path: string) => Uint8Array | undefined, where: string,
): { state: TrainerState; slots: Map<string, NamedArray> } {
  const bytes = read(STATE_FILE);
  if (bytes === undefined) throw new TrainerError(`checkpoint ${where} has no ${STATE_FILE}`);
  let state: TrainerState;
  try {
    state = JSON.parse(new TextDecoder().decode(bytes)) as TrainerState;
  } catch (e) {
    throw new TrainerError(`${where}/${STATE_FILE}: not valid JSON (${(e as Error).message})`);
  }
  if (state?.formatVersion !== TRAINER_STATE_VERSION || !Number.isInteger(state.step) || state.step < 0) {
    throw new TrainerError(`${where}/${STATE_FILE}: unsupported trainer state (formatVersion ${String(state?.formatVersion)}, step ${String(state?.step)})`);
  }
  const slots = new Map<string, NamedArray>();
  const slotBytes = read(SLOTS_FILE);
  if (slotBytes !== undefined) {
    for (const [name, t] of readSafetensors(slotBytes)) slots.set(name, { shape: t.shape, data: t.data });
  }
  return { state, slots };
}

/**
 * Throws {@link TrainerError} naming the first setting that differs between a checkpoint and the current run
 * (resuming with a different batch size, objective, learning rate, ... would not continue the same run).
 */
export function checkResumeCompatible(saved: Readonly<Record<string, unknown>>, current: Readonly<Record<string, unknown>>): void {
  for (const key of Object.keys(current)) {
    const a = JSON.stringify(saved[key]);
    const b = JSON.stringify(current[key]);
    if (a !== b) {
      throw new TrainerError(`resume: ${key} is ${b} but the checkpoint was trained with ${a}`, { field: key, value: current[key] });
    }
  }
}
