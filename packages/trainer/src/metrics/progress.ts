/** What a progress reporter shows after each optimizer step. */
export interface ProgressInfo {
  step: number;
  totalSteps: number;
  loss: number;
  learningRate: number;
  tokensPerSecond: number;
  /** Seconds remaining at the current speed. */
  etaSeconds: number;
}

/** Formats seconds as `1h02m03s` / `2m03s` / `3s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${String(r).padStart(2, '0')}s`;
  if (m > 0) return `${m}m${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

/** One human-readable line for a step. */
export function formatProgress(p: ProgressInfo): string {
  return `step ${p.step}/${p.totalSteps}  loss ${p.loss.toFixed(4)}  lr ${p.learningRate.toExponential(2)}  ` +
    `${Math.round(p.tokensPerSecond)} tok/s  eta ${formatDuration(p.etaSeconds)}`;
}

/** Where progress text goes: `process.stderr`, or anything with `write` (a browser console adapter, a test). */
export interface TextOutput {
  write(s: string): unknown;
  readonly isTTY?: boolean;
}

/** A sink for progress lines. */
export interface ProgressReporter {
  step(p: ProgressInfo): void;
  /** A message that must stay visible (evaluation results, checkpoint saved, warnings). */
  message(line: string): void;
  /** Ends the display (moves past a live status line). */
  close(): void;
}

/**
 * On a TTY: one status line redrawn in place (`\r` + clear), at most every 100 ms. Otherwise: a plain line every
 * `everySteps` steps (and on the last step), so logs stay readable when redirected.
 */
export function createProgressReporter(stream: TextOutput, everySteps = 10): ProgressReporter {
  const tty = stream.isTTY === true;
  let live = false;
  let last = 0;
  return {
    step(p) {
      if (tty) {
        const now = Date.now();
        if (now - last < 100 && p.step !== p.totalSteps) return;
        last = now;
        stream.write(`\r\x1b[2K${formatProgress(p)}`);
        live = true;
      } else if (p.step % everySteps === 0 || p.step === p.totalSteps) {
        stream.write(formatProgress(p) + '\n');
      }
    },
    message(line) {
      if (live) { stream.write('\r\x1b[2K'); live = false; }
      stream.write(line + '\n');
    },
    close() {
      if (live) { stream.write('\n'); live = false; }
    },
  };
}
