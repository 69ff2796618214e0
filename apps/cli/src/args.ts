// Small helpers shared by the commands: option parsing on node's util.parseArgs, typed option values and input
// files, all reporting problems as a one-line UsageError (exit code 2).

import fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type Values<O extends OptionsConfig> =
  ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>>['values'];

/**
 * Parses `--name value` / `--flag` options with node's `util.parseArgs` (strict, no positionals). Unknown options,
 * missing values and stray arguments become a one-line {@link UsageError}. `--help` is always accepted: check
 * `help` in the result.
 */
export function parseOptions<const O extends OptionsConfig>(argv: string[], options: O): Values<O> & { help?: boolean } {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    return values as Values<O> & { help?: boolean };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // Node's messages end with hints on extra lines ("To specify a positional argument..."): keep line one.
    throw new UsageError(message.split('\n')[0].trim());
  }
}

/** The value of a required string option, or a UsageError naming it. */
export function requireOption(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing required option --${name}`);
  return value;
}

/** Parses an integer option within `[min, max]`. */
export function intOption(value: string, name: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`--${name} must be an integer, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return n;
}

/**
 * Converts an optional option to an integer (undefined stays undefined). Only the conversion is checked here:
 * ranges are the library's to validate, with errors naming its own field.
 */
export function integerOf(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) throw new UsageError(`--${name} must be an integer, got '${value}'`);
  return Number(value);
}

/** Converts an optional option to a finite number (undefined stays undefined); ranges are the library's. */
export function numberOf(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${value}'`);
  return n;
}

/** Checks that an option is one of `choices`. */
export function choiceOption<const C extends string>(value: string, name: string, choices: readonly C[]): C {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join('|')}, got '${value}'`);
  }
  return value as C;
}

/** Reads a file, turning a missing or unreadable file into a UsageError naming the option. */
export function readInputFile(path: string, what: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new UsageError(`cannot read ${what} '${path}': ${reason}`);
  }
}

/** Reads and parses a JSON file; a missing file or malformed JSON is a one-line UsageError. */
export function readJsonFile(path: string, what: string): unknown {
  const text = readInputFile(path, what).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new UsageError(`${what} '${path}' is not valid JSON (${reason.slice(0, 100)})`);
  }
}
