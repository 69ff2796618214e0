import { AlbertError, type AlbertErrorOptions } from '@albert-ts/core';

/**
 * A training failure the caller can fix, with a one-line message naming the option or state at fault: a bad
 * option (`field`/`value` set), a resume that does not match the checkpoint, a malformed trainer state.
 */
export class TrainerError extends AlbertError {
  override readonly name: string = 'TrainerError';

  constructor(message: string, options?: AlbertErrorOptions) {
    super(message, options);
  }
}

/**
 * The loss of a step was NaN or infinite: the step's gradients were discarded (the weights are those of the last
 * good step) and the run stopped. `checkpoint` is the last good checkpoint, when one was saved.
 */
export class NonFiniteLossError extends TrainerError {
  override readonly name = 'NonFiniteLossError';

  constructor(readonly step: number, readonly loss: number, readonly checkpoint?: string) {
    super(`loss is ${loss} at step ${step}; stopped without updating the weights` +
      (checkpoint !== undefined ? `; last good checkpoint: ${checkpoint}` : '; no checkpoint was saved yet'));
  }
}

/**
 * A checkpoint could not be written (ENOSPC, EDQUOT, EIO, EACCES, ...): `code` is the errno code, `path` the file or
 * directory at fault. The partial checkpoint was removed; the previous checkpoints and the `latest` pointer are
 * unchanged, so the run can resume from them once the cause is fixed.
 */
export class CheckpointSaveError extends TrainerError {
  override readonly name = 'CheckpointSaveError';

  constructor(readonly step: number, readonly path: string, readonly code: string, reason: string, cause?: unknown) {
    super(`cannot save the checkpoint of step ${step}: ${code} (${reason}) at ${path}; the previous checkpoint and the latest pointer are unchanged`,
      { cause });
  }
}

/** Throws a field-typed {@link TrainerError} unless `value` is an integer >= `min` (undefined passes). */
export function checkInteger(field: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    throw new TrainerError(`${field}: ${value} must be an integer >= ${min}`, { field, value });
  }
}

/** Throws a field-typed {@link TrainerError} unless `value` is a finite number > 0 (undefined passes). */
export function checkPositive(field: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new TrainerError(`${field}: ${value} must be a positive finite number`, { field, value });
  }
}
