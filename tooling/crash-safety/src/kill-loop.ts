// The crash loop: start a run, kill it with SIGKILL at a seeded random moment (some of them inside a checkpoint
// write), check what is on disk, start it again with the same out directory, and repeat; then let it finish.
import { type Outcome, lastLine, launch, sleep } from './child.js';
import { checkReadable, pointerBehind, tempDirs } from './checkpoints.js';

/** One program under test. */
export interface KillLoopOptions {
  /** The command line (`node` arguments) of a start: the first one (`resume` false) or a restart. */
  command(resume: boolean): string[];
  /** Run directories whose checkpoints are checked after every kill (and watched for saves in progress). */
  runDirs(): string[];
  /** How far the run is (0..1) by what is on disk, so that the kills stay spread over the whole run. */
  progress(): number;
  /** Kills. */
  kills: number;
  random: () => number;
  /** Seconds from a start to the first training step, and of the training alone (from an uninterrupted run). */
  startupSeconds: number;
  trainSeconds: number;
  /** Seconds between two checkpoints of the uninterrupted run (for the ablation grid: one training). */
  saveSeconds: number;
  /**
   * Whether training has (re)started since `since` (epoch ms), e.g. a metrics file written after it; when given, a
   * kill timed in the training waits for it instead of assuming the uninterrupted run's start-up time.
   */
  trainingStarted?: (since: number) => boolean;
  /**
   * Training steps done as the disk shows them (e.g. the last `train` record of metrics.jsonl), and the step up to
   * which kills may land (short of the end, so that a restart always has training left to do): with
   * `trainingStarted`, the kills timed in the training land at steps drawn evenly from 1 to `killSteps`.
   */
  stepsDone?: () => number;
  killSteps?: number;
  /** Every `saveKillEvery`-th kill waits for a checkpoint write and lands inside it (0: none). */
  saveKillEvery: number;
  /** Files of a checkpoint (how long a slowed-down save lasts). */
  checkpointFiles: number;
  log(line: string): void;
}

/** What the loop saw. */
export interface KillLoopResult {
  kills: number;
  /** Restarts after a kill that ran until the next kill or to the end (none failed by itself). */
  resumed: number;
  /** Kills that left a save in progress (a temp directory, or a checkpoint the `latest` pointer did not name yet). */
  insideWrite: number;
  /** Restarts that took over the lock the killed run left. */
  staleLocks: number;
  failures: string[];
  /** The last start, run to its end. */
  final?: Outcome;
}

/** Pause of a slowed-down save after each file (`ALBERT_TEST_SLOW_SAVE_MS`). */
const SLOW_SAVE_MS = 150;

/** Waits until a checkpoint write starts under `dirs` (a temp directory not seen before), or `timeoutMs`. */
async function saveStarted(dirs: () => string[], seen: ReadonlySet<string>, timeoutMs: number, exited: () => boolean): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !exited()) {
    if (tempDirs(dirs()).some((d) => !seen.has(d))) return true;
    await sleep(5);
  }
  return false;
}

/** Runs the loop: `kills` starts killed with SIGKILL, each followed by a check of every checkpoint, then a start run to its end. */
export async function killLoop(o: KillLoopOptions): Promise<KillLoopResult> {
  const result: KillLoopResult = { kills: 0, resumed: 0, insideWrite: 0, staleLocks: 0, failures: [] };
  // The step each kill waits for (used by the kills timed in the training), in increasing order over the run.
  const targets = Array.from({ length: o.kills }, () => 1 + o.random() * Math.max(0, (o.killSteps ?? 1) - 1)).sort((a, b) => a - b);
  const stepSeconds = o.trainSeconds / Math.max(1, o.killSteps ?? 1);
  for (let i = 0; i <= o.kills; i++) {
    const last = i === o.kills;
    const inSave = !last && o.saveKillEvery > 0 && i % o.saveKillEvery === o.saveKillEvery - 1;
    const seen = new Set(tempDirs(o.runDirs()));
    const launched = Date.now();
    const run = launch(o.command(i > 0), inSave ? { ALBERT_TEST_SLOW_SAVE_MS: String(SLOW_SAVE_MS) } : {});
    let exited = false;
    void run.done.then(() => { exited = true; });
    if (!last) {
      if (inSave) {
        const started = await saveStarted(o.runDirs, seen, 1000 * (o.startupSeconds + 2 * o.trainSeconds), () => exited);
        if (started) await sleep(o.random() * (o.checkpointFiles + 1) * SLOW_SAVE_MS);
      } else {
        // One kill in five during start-up, the others in the training that follows: within three save intervals
        // (so that many starts get past a save and the kills spread over the run), fewer near the end (a start
        // keeps about half of its window: so that the run is not done before the last kill).
        const left = Math.max(0, 1 - o.progress()) * o.trainSeconds;
        const window = Math.min(3 * o.saveSeconds, Math.max(0.2, (1.5 * left) / (o.kills - i)));
        const r = o.random();
        if (r < 0.2) await sleep(1000 * o.startupSeconds * (0.2 + 4 * r));
        else if (o.trainingStarted === undefined) await sleep(1000 * (o.startupSeconds + ((r - 0.2) / 0.8) * window));
        else {
          const until = Date.now() + 1000 * (2 * o.startupSeconds + 2 * o.trainSeconds);
          while (!o.trainingStarted(launched) && !exited && Date.now() < until) await sleep(5);
          if (o.stepsDone === undefined) await sleep(1000 * ((r - 0.2) / 0.8) * window);
          else {
            while (o.stepsDone() < targets[i]! && !exited && Date.now() < until) await sleep(5);
            await sleep(1000 * o.random() * stepSeconds);
          }
        }
      }
      run.kill();
    }
    const outcome = await run.done;
    if (i > 0 && /taking over the lock of /.test(outcome.stderr)) result.staleLocks++;
    if (!outcome.killed && outcome.code !== 0) {
      result.failures.push(`start ${i + 1} failed by itself (exit ${outcome.code ?? outcome.signal}): ${lastLine(outcome.stderr)}`);
      return result;
    }
    if (i > 0) result.resumed++;
    if (last || !outcome.killed) {
      // the end (a run that finished before its kill ends the loop early: fewer kills than asked)
      result.final = outcome;
      return result;
    }
    result.kills++;
    if (tempDirs(o.runDirs()).some((d) => !seen.has(d)) || o.runDirs().some(pointerBehind)) result.insideWrite++;
    try {
      for (const dir of o.runDirs()) checkReadable(dir);
    } catch (e) {
      result.failures.push(`after kill ${i + 1}: ${(e as Error).message}`);
      return result;
    }
    const at = o.stepsDone === undefined ? '' : ` at step ${o.stepsDone()}`;
    o.log(`kill ${i + 1}/${o.kills} after ${outcome.seconds.toFixed(1)} s${at}${inSave ? ' (during a checkpoint write)' : ''}: ` +
      `checkpoints up to ${(100 * o.progress()).toFixed(0)}% of the run, all readable`);
  }
  return result;
}
