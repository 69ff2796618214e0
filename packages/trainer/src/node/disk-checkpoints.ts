import fs from 'node:fs';
import path from 'node:path';
import { TrainerError } from '../errors.js';
import type { NamedArray } from '../optim/slots.js';
import { type TrainerState, parseTrainerState } from '../state/train-state.js';
import { type Checkpointer, checkpointFiles, savedCheckpoint } from '../train/checkpointer.js';
import { type ModelFormat, defaultFormat } from '../train/model-format.js';
import { latestCheckpoint, listCheckpoints, writeCheckpointDir } from './layout.js';

/** Options of {@link diskCheckpoints}. */
export interface DiskCheckpointOptions<M> {
  /** Save every N optimizer steps (the last step, a stop and an interruption are always saved). */
  readonly every?: number;
  /** Complete checkpoints kept (default 2). */
  readonly keep?: number;
  /** Continue from the newest checkpoint of the directory (default false: a directory with checkpoints is refused). */
  readonly resume?: boolean;
  /** How the model is stored (default: a HF directory for ALBERT models, `parameters.safetensors` otherwise). */
  readonly format?: ModelFormat<M>;
}

/** A file of a checkpoint directory, or undefined when it does not exist. */
function fileReader(dir: string): (p: string) => Uint8Array | undefined {
  return (p) => {
    const file = path.join(dir, p);
    return fs.existsSync(file) ? new Uint8Array(fs.readFileSync(file)) : undefined;
  };
}

/**
 * Crash-safe checkpoints in `dir`: `checkpoints/step-NNNNNNNN/` (the model files, e.g. a HF directory, plus
 * `trainer_state/`), a `latest` pointer, the newest `keep` kept. See {@link writeCheckpointDir} for the guarantees.
 */
export function diskCheckpoints<M>(dir: string, options: DiskCheckpointOptions<M> = {}): Checkpointer<M> {
  const out = path.resolve(dir);
  return {
    every: options.every,
    latest(model) {
      if (!options.resume) {
        if (listCheckpoints(out).length > 0) {
          throw new TrainerError(`${out} already has checkpoints: resume from them or choose another directory`, { field: 'dir', value: out });
        }
        return undefined;
      }
      const latest = latestCheckpoint(out);
      return latest === undefined ? undefined : savedCheckpoint(options.format ?? defaultFormat(model), fileReader(latest), latest);
    },
    save(model, state: TrainerState, slots: Map<string, NamedArray>) {
      const files = checkpointFiles(options.format ?? defaultFormat(model), model, state, slots);
      return writeCheckpointDir(out, state.step, files, options.keep ?? 2);
    },
  };
}

/** Reads `trainer_state/` of a checkpoint directory; throws {@link TrainerError} when missing or malformed. */
export function readTrainerState(checkpointDir: string): ReturnType<typeof parseTrainerState> {
  return parseTrainerState(fileReader(checkpointDir), checkpointDir);
}
