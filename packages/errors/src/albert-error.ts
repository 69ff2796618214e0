/** Collapses a message onto one line: user-facing errors are printed as a single line. */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Nesting shown by {@link formatValue} before `[...]` / `{...}`. */
const MAX_DEPTH = 8;

/** Longest message of an {@link AlbertError}. */
export const MAX_MESSAGE_LENGTH = 500;

/**
 * A value as it appears in an error message: at most `max` characters of JSON-like text, strings quoted,
 * containers abbreviated, nesting beyond a few levels shown as `[...]` / `{...}`. It never recurses deeply and
 * never renders more than it shows, so a hostile value (an array nested 100,000 deep, which overflows
 * `JSON.stringify` and `String()`, or a 100 MB string) costs nothing.
 */
export function formatValue(value: unknown, max = 80): string {
  let out = '';
  const full = (): boolean => out.length > max;
  const walk = (v: unknown, depth: number): void => {
    if (full()) return;
    if (typeof v === 'string') {
      out += JSON.stringify(v.length > max ? v.slice(0, max) : v) + (v.length > max ? '...' : '');
    } else if (Array.isArray(v)) {
      if (depth >= MAX_DEPTH) { out += '[...]'; return; }
      out += '[';
      for (let i = 0; i < v.length && !full(); i++) {
        if (i > 0) out += ',';
        walk(v[i], depth + 1);
      }
      out += ']';
    } else if (typeof v === 'object' && v !== null) {
      if (depth >= MAX_DEPTH) { out += '{...}'; return; }
      out += '{';
      let first = true;
      for (const key in v) {
        if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
        if (full()) break;
        out += `${first ? '' : ','}${JSON.stringify(key.length > max ? key.slice(0, max) : key)}:`;
        first = false;
        walk((v as Record<string, unknown>)[key], depth + 1);
      }
      out += '}';
    } else {
      out += String(v);
    }
  };
  walk(value, 0);
  return oneLine(out.length > max ? `${out.slice(0, max - 3)}...` : out);
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
    const line = oneLine(message);
    // A value quoted from a hostile file must not turn the message into a wall of text.
    super(line.length > MAX_MESSAGE_LENGTH ? `${line.slice(0, MAX_MESSAGE_LENGTH - 3)}...` : line,
      options.cause === undefined ? undefined : { cause: options.cause });
    if (options.field !== undefined) this.field = options.field;
    if ('value' in options) this.value = options.value;
  }
}
