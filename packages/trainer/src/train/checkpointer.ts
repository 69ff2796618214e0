import type { HfFiles } from '@albert-ts/core';
import type { NamedArray } from '../optim/slots.js';
import { type TrainerState, parseTrainerState, trainerStateFiles } from '../state/train-state.js';
import { type ModelFormat, defaultFormat } from './model-format.js';

/** A checkpoint to resume from: where it is, the trainer state, and how to load its weights. */
export interface SavedCheckpoint<M> {
  readonly location: string;
  readonly state: TrainerState;
  readonly slots: Map<string, NamedArray>;
  /** Loads the checkpoint's weights into `model` (exactly: resumed runs continue bit for bit on cpu). */
  restore(model: M): void;
}

/**
 * Where `train` saves and finds checkpoints. `diskCheckpoints(dir)` of `@albert-ts/trainer/node` writes crash-safe
 * HF directories; {@link memoryCheckpoints} keeps them in memory (tests, the browser).
 */
export interface Checkpointer<M> {
  /** Save after every `every` optimizer steps; the last step (and a stop or interruption) is always saved. */
  readonly every?: number;
  /** The newest checkpoint to resume from, or undefined to start fresh. May throw to refuse to start. */
  latest(model: M): SavedCheckpoint<M> | undefined | Promise<SavedCheckpoint<M> | undefined>;
  /** Saves the model and the trainer state; returns the checkpoint's location. */
  save(model: M, state: TrainerState, slots: Map<string, NamedArray>): string | Promise<string>;
}

/** The files of one checkpoint: the model in `format`, then `trainer_state/`. */
export function checkpointFiles<M>(format: ModelFormat<M>, model: M, state: TrainerState, slots: Map<string, NamedArray>): HfFiles {
  return new Map([...format.files(model), ...trainerStateFiles(state, slots)]);
}

/** A checkpoint from its files (`read(path)`), parsed. */
export function savedCheckpoint<M>(
  format: ModelFormat<M>, read: (path: string) => Uint8Array | undefined, location: string,
): SavedCheckpoint<M> {
  const { state, slots } = parseTrainerState(read, location);
  return { location, state, slots, restore: (model) => format.load(model, read, location) };
}

/**
 * Checkpoints kept in memory (the newest `keep`, default 1) as the same files a disk checkpoint has; `files(step)`
 * returns them. For tests and for runs without a file system (a browser worker).
 */
export function memoryCheckpoints<M>(options: { every?: number; keep?: number; format?: ModelFormat<M> } = {}): Checkpointer<M> & {
  files(step: number): ReadonlyMap<string, Uint8Array> | undefined;
} {
  const saved = new Map<number, HfFiles>();
  return {
    every: options.every,
    files: (step) => saved.get(step),
    latest(model) {
      const steps = [...saved.keys()].sort((a, b) => a - b);
      if (steps.length === 0) return undefined;
      const files = saved.get(steps[steps.length - 1])!;
      return savedCheckpoint(options.format ?? defaultFormat(model), (p) => files.get(p), `memory:step-${steps[steps.length - 1]}`);
    },
    save(model, state, slots) {
      saved.set(state.step, checkpointFiles(options.format ?? defaultFormat(model), model, state, slots));
      const steps = [...saved.keys()].sort((a, b) => a - b);
      for (const s of steps.slice(0, Math.max(0, steps.length - (options.keep ?? 1)))) saved.delete(s);
      return `memory:step-${state.step}`;
    },
  };
}
