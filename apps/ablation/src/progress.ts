// Progress of the whole grid: run i/n, step, tokens/s and an ETA. Redraws one line on a TTY, prints plain lines
// (at most one per few seconds per run) otherwise.

/** Where progress goes (stderr by default). */
export interface ProgressSink {
  isTTY?: boolean;
  write(s: string): unknown;
}

/** Formats seconds as `1h02m`, `3m05s` or `42s`. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** Grid progress with an ETA from the steps done so far in this session. */
export class GridProgress {
  private runIndex = 0;
  private runLabel = '';
  private stepsPerRun: number;
  private doneSteps = 0;
  private sessionSteps = 0;
  private readonly started = Date.now();
  private lastPlain = 0;

  constructor(
    private readonly totalRuns: number,
    stepsPerRun: number,
    private readonly sink: ProgressSink = process.stderr,
    private readonly plainEveryMs = 5000,
  ) {
    this.stepsPerRun = stepsPerRun;
  }

  /** A run starts (or is skipped when `skipped`, counting as done). */
  startRun(index: number, label: string, skipped = false): void {
    this.runIndex = index;
    this.runLabel = label;
    if (skipped) {
      this.doneSteps += this.stepsPerRun;
      this.line(`run ${index + 1}/${this.totalRuns} ${label}: done earlier, skipped`, true);
    } else {
      this.line(`run ${index + 1}/${this.totalRuns} ${label}: starting`, true);
    }
  }

  /** A training step finished; `fromStep` marks a resumed run's starting step. */
  step(step: number, info: { loss?: number; tokensPerS?: number; fromStep?: number } = {}): void {
    this.sessionSteps++;
    const totalSteps = this.totalRuns * this.stepsPerRun;
    const done = this.doneSteps + step;
    const elapsed = (Date.now() - this.started) / 1000;
    const rate = this.sessionSteps / Math.max(elapsed, 1e-3);
    const eta = rate > 0 ? (totalSteps - done) / rate : Infinity;
    const parts = [
      `run ${this.runIndex + 1}/${this.totalRuns} ${this.runLabel}`,
      `step ${step}/${this.stepsPerRun}`,
      info.loss !== undefined ? `loss ${info.loss.toFixed(3)}` : '',
      info.tokensPerS !== undefined ? `${info.tokensPerS.toFixed(0)} tok/s` : '',
      `grid ${((100 * done) / totalSteps).toFixed(0)}%`,
      `ETA ${formatDuration(eta)}`,
    ].filter(Boolean);
    this.line(parts.join(' | '), step === this.stepsPerRun);
  }

  /** A run finished. */
  endRun(summary: string): void {
    this.doneSteps += this.stepsPerRun;
    this.line(`run ${this.runIndex + 1}/${this.totalRuns} ${this.runLabel}: ${summary}`, true);
  }

  /** Free-form status (evaluation, fine-tuning, report). */
  note(s: string): void {
    this.line(s, true);
  }

  private line(s: string, force: boolean): void {
    if (this.sink.isTTY) {
      this.sink.write(`\r\x1b[2K${s}${force ? '\n' : ''}`);
      return;
    }
    const now = Date.now();
    if (!force && now - this.lastPlain < this.plainEveryMs) return;
    this.lastPlain = now;
    this.sink.write(`${s}\n`);
  }
}
