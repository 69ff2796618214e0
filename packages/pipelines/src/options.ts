import { PipelineError } from './errors.js';

/** Options every pipeline call takes, named as HF's pipeline arguments. */
export interface CallOptions {
  /** Inputs run through the model together (HF `batch_size`, default 1); rows are padded to the longest. */
  batch_size?: number;
  /** Truncate inputs longer than `max_length` (default: the tokenizer's `model_max_length`). Default false. */
  truncation?: boolean;
  /** Maximum length in tokens, special tokens included, used by `truncation`. */
  max_length?: number;
}

/** A positive integer option, or its default; anything else is a one-line {@link PipelineError}. */
export function positiveInt(value: unknown, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new PipelineError(`${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks the common options; returns batch size and the tokenizer's truncation settings. */
export function commonOptions(o: CallOptions): { batchSize: number; truncation: boolean; maxLength?: number } {
  if (o.truncation !== undefined && typeof o.truncation !== 'boolean') {
    throw new PipelineError(`truncation must be true or false, got ${JSON.stringify(o.truncation)}`);
  }
  return {
    batchSize: positiveInt(o.batch_size, 'batch_size', 1),
    truncation: o.truncation ?? false,
    maxLength: o.max_length === undefined ? undefined : positiveInt(o.max_length, 'max_length', 0, 2),
  };
}
