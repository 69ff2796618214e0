// How the albert programs end: by setting process.exitCode and letting Node exit once every queued write is done.
// `process.exit()` ends the process at once and drops whatever is still queued for a pipe whose reader is slower
// than the program (pipe writes are only synchronous until the pipe buffer is full).

import { isOutputClosedError, outputFailure, watchOutput } from './output.js';

/** Exit status when stdout's reader went away early: 128 + SIGPIPE, as a shell reports `cat` in `cat big | head -1`. */
export const EXIT_OUTPUT_CLOSED = 141;

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
}

/**
 * Runs a program's `main()` and sets `process.exitCode` to its result, without `process.exit()`: Node then exits
 * when stdout and stderr have written everything queued for them. Whatever `main` started that would keep Node
 * running (worker threads, servers) it must release before it returns.
 *
 * - An error `main` throws is one line `<program>: <message>` on stderr and exit code 1, never a stack trace.
 * - A reader that closes stdout early (EPIPE, `| head -1`) ends the program quietly with {@link EXIT_OUTPUT_CLOSED};
 *   streaming commands stop at their next {@link writeOutput}. This also holds when the last write was still
 *   queued when `main` returned.
 * - Any other stdout failure (ENOSPC, EIO) is one line on stderr and exit code 1, even if `main` returned 0.
 *
 * Resolves to the exit code (as far as known when `main` returns).
 */
export async function runMain(program: string, main: () => Promise<number>): Promise<number> {
  watchOutput(process.stdout);
  watchOutput(process.stderr); // a stderr that fails must not crash the program either; there is nowhere to report it
  let code: number;
  try {
    code = await main();
  } catch (err) {
    if (isOutputClosedError(err)) {
      code = 1; // replaced below by the failure's own code
    } else {
      process.stderr.write(`${program}: ${firstLine(err)}\n`);
      code = 1;
    }
  }
  let reported = false;
  const settle = (): number => {
    const failure = outputFailure(process.stdout);
    if (failure === 'EPIPE') return (process.exitCode = EXIT_OUTPUT_CLOSED);
    if (failure !== undefined) {
      if (!reported) process.stderr.write(`${program}: cannot write to stdout: ${failure}\n`);
      reported = true;
      return (process.exitCode = code === 0 ? 1 : code);
    }
    return (process.exitCode = code);
  };
  watchOutput(process.stdout, () => void settle()); // a failure after main returned (the last write was queued)
  return settle();
}
