// Progress of the whole grid: run i/n, step, tokens/s and an ETA, for one run at a time or several side by side.
// Redraws one line on a TTY, prints plain lines (at most one per few seconds) otherwise.

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

interface RunState {
  index: number;
  label: string;
  steps: number;
  done: number;
}

/** Grid progress with an ETA from the steps done so far in this session (all concurrent runs together). */
export class GridProgress {
  private readonly runs = new Map<string, RunState>();
  private readonly totalSteps: number;
  private finishedSteps = 0;
  private sessionSteps = 0;
  private readonly started = Date.now();
  private lastPlain = 0;

  /** `runs`: every unique run of the grid in order, with its steps. */
  constructor(
    private readonly grid: ReadonlyArray<{ key: string; steps: number }>,
    private readonly sink: ProgressSink = process.stderr,
    private readonly plainEveryMs = 5000,
  ) {
    this.totalSteps = grid.reduce((s, r) => s + r.steps, 0);
  }

  /** A run starts (or is skipped when `skipped`, counting as done). */
  startRun(key: string, label: string, skipped = false): void {
    const index = this.grid.findIndex((r) => r.key === key);
    const steps = this.grid[index]?.steps ?? 0;
    if (skipped) {
      this.finishedSteps += steps;
      this.line(`run ${index + 1}/${this.grid.length} ${label}: done earlier, skipped`, true);
      return;
    }
    this.runs.set(key, { index, label, steps, done: 0 });
    this.line(`run ${index + 1}/${this.grid.length} ${label}: starting`, true);
  }

  /** A training step of run `key` finished. */
  step(key: string, step: number, info: { loss?: number; tokensPerS?: number } = {}): void {
    const r = this.runs.get(key);
    if (!r) return;
    this.sessionSteps++; // one call per step (a resumed run starts at its checkpoint's step)
    r.done = step;
    const done = this.finishedSteps + [...this.runs.values()].reduce((s, x) => s + x.done, 0);
    const elapsed = (Date.now() - this.started) / 1000;
    const rate = this.sessionSteps / Math.max(elapsed, 1e-3);
    const eta = rate > 0 ? (this.totalSteps - done) / rate : Infinity;
    const parts = [
      `run ${r.index + 1}/${this.grid.length} ${r.label}`,
      `step ${step}/${r.steps}`,
      info.loss !== undefined ? `loss ${info.loss.toFixed(3)}` : '',
      info.tokensPerS !== undefined ? `${info.tokensPerS.toFixed(0)} tok/s` : '',
      this.runs.size > 1 ? `${this.runs.size} runs in parallel` : '',
      `grid ${((100 * done) / Math.max(1, this.totalSteps)).toFixed(0)}%`,
      `ETA ${formatDuration(eta)}`,
    ].filter(Boolean);
    this.line(parts.join(' | '), step === r.steps);
  }

  /** Run `key` finished. */
  endRun(key: string, summary: string): void {
    const r = this.runs.get(key);
    if (!r) return;
    this.runs.delete(key);
    this.finishedSteps += r.steps;
    this.line(`run ${r.index + 1}/${this.grid.length} ${r.label}: ${summary}`, true);
  }

  /** Free-form status (evaluation, fine-tuning, report), prefixed with the run when given. */
  note(s: string, key?: string): void {
    const r = key === undefined ? undefined : this.runs.get(key);
    this.line(r && this.runs.size > 1 ? `[run ${r.index + 1}] ${s}` : s, true);
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
