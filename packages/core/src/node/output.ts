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
const watched = new WeakSet<Writable>();

function codeOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code !== '' ? code : 'EIO';
}

/**
 * Records the first error `stream` reports (idempotent). Node throws an `error` event nobody listens to as an
 * uncaught exception, which is how an early-closing reader used to end a command with a stack trace.
 */
export function watchOutput(stream: Writable = process.stdout): void {
  if (watched.has(stream)) return;
  watched.add(stream);
  stream.on('error', (err) => {
    if (!failures.has(stream)) failures.set(stream, codeOf(err));
  });
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
  await new Promise<void>((resolve, reject) => {
    const settle = (err?: Error): void => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
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
