// Command output that is never silently lost: writes wait while a pipe is full (backpressure), and a stream that
// fails (EPIPE: the reader went away, as in `| head -1`; ENOSPC or EIO on a redirected file) becomes one typed
// error instead of an uncaught exception with a stack trace, or output dropped behind an exit code of 0.

import type { Writable } from 'node:stream';

/**
 * Thrown by {@link writeOutput} once its stream has failed; `code` is the errno code (`EPIPE`: the reader left).
 * Not an `AlbertError`: there is nothing for the user to fix, and {@link runMain} turns it into the exit code.
 */
export class OutputClosedError extends Error {
  override readonly name = 'OutputClosedError';
  constructor(readonly code: string) {
    super(code === 'EPIPE' ? 'the reader closed the output early (EPIPE)' : `cannot write the output: ${code}`);
  }
}

/** True for an {@link OutputClosedError} (also one from another copy of this module). */
export function isOutputClosedError(err: unknown): err is OutputClosedError {
  return err instanceof Error && err.name === 'OutputClosedError' && typeof (err as { code?: unknown }).code === 'string';
}

const failures = new WeakMap<Writable, string>();
const watchers = new WeakMap<Writable, ((code: string) => void)[]>();

function codeOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code !== '' ? code : 'EIO';
}

/**
 * Records the first error `stream` reports and calls `onFailure` with its code (once per stream, with one
 * listener however often it is called). Node throws an `error` event nobody listens to as an uncaught exception,
 * which is how an early-closing reader used to end a command with a stack trace.
 */
export function watchOutput(stream: Writable = process.stdout, onFailure?: (code: string) => void): void {
  let hooks = watchers.get(stream);
  if (hooks === undefined) {
    hooks = [];
    watchers.set(stream, hooks);
    // Worker threads pipe their output into process.stdout, one listener of each event each (the threaded wasm
    // backend starts 8 or more; Node lifts the limit only while it adds them): ours must not be the listener that
    // trips Node's leak warning on stderr.
    stream.setMaxListeners(stream.getMaxListeners() + 1);
    const all = hooks;
    stream.on('error', (err) => {
      if (failures.has(stream)) return;
      const code = codeOf(err);
      failures.set(stream, code);
      for (const hook of all) hook(code);
    });
  }
  if (onFailure !== undefined) hooks.push(onFailure);
}

/** The errno code of the first error `stream` reported, if any (`EPIPE`: its reader went away). */
export function outputFailure(stream: Writable = process.stdout): string | undefined {
  return failures.get(stream);
}

/**
 * Writes `chunk` to `stream` (default stdout) and waits while the stream's buffer is full, so a program that
 * produces faster than its reader consumes holds a bounded amount in memory. Throws {@link OutputClosedError}
 * once the stream has failed, so that a streaming loop stops at its next write.
 */
export async function writeOutput(chunk: string | Uint8Array, stream: Writable = process.stdout): Promise<void> {
  watchOutput(stream);
  const failed = failures.get(stream);
  if (failed !== undefined || stream.destroyed) throw new OutputClosedError(failed ?? 'EPIPE');
  let flowing: boolean;
  try {
    flowing = stream.write(chunk);
  } catch (err) {
    if (!failures.has(stream)) failures.set(stream, codeOf(err));
    throw new OutputClosedError(codeOf(err));
  }
  if (flowing) return;
  // One more listener of each event while waiting; raise the limit with it (see watchOutput).
  stream.setMaxListeners(stream.getMaxListeners() + 1);
  await new Promise<void>((resolve, reject) => {
    const settle = (err?: Error): void => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      stream.setMaxListeners(Math.max(0, stream.getMaxListeners() - 1));
      if (err === undefined) resolve();
      else reject(err);
    };
    const onDrain = (): void => settle();
    const onError = (err: unknown): void => settle(new OutputClosedError(codeOf(err)));
    const onClose = (): void => settle(new OutputClosedError(failures.get(stream) ?? 'EPIPE'));
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
