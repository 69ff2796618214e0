import { AlbertError } from '@albert-ts/errors';

/** A subcommand of `albert`. One file per command under `src/commands/`. */
export interface Command {
  /** Name as typed: `albert <name>`. */
  readonly name: string;
  /** One-line summary for `albert --help`. */
  readonly summary: string;
  /** Runs the command; returns the process exit code. Throw `UsageError` for bad arguments (exit 2). */
  run(argv: string[]): Promise<number>;
}

/** Bad arguments or bad input files: printed as one line on stderr, exit code 2 (like every library error). */
export class UsageError extends AlbertError {
  override readonly name = 'UsageError';
}
