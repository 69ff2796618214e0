/** Collapses a message onto one line: user-facing errors are printed as a single line. */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** A value as it appears in an error message: strings quoted, objects as (shortened) JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return String(value);
  }
}

/** Options of {@link AlbertError}. */
export interface AlbertErrorOptions {
  /** The option or config field at fault (`steps`, `hidden_size`, ...), when there is one. */
  readonly field?: string;
  /** The offending value of {@link AlbertErrorOptions.field}. */
  readonly value?: unknown;
  readonly cause?: unknown;
}

/**
 * Base class of every albert-ts library error (ConfigError, CheckpointError, TokenizerError, DataError,
 * BackendError, TrainerError, ...): something the caller can fix. The message is one line; `field` and `value`
 * name the option at fault when there is one. Messages name library fields, never command-line flags: an
 * application maps `field` to its own flag if it wants to.
 */
export class AlbertError extends Error {
  override readonly name: string = 'AlbertError';
  readonly field?: string;
  readonly value?: unknown;

  constructor(message: string, options: AlbertErrorOptions = {}) {
    super(oneLine(message), options.cause === undefined ? undefined : { cause: options.cause });
    if (options.field !== undefined) this.field = options.field;
    if ('value' in options) this.value = options.value;
  }
}
