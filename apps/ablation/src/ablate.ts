// Runs a preset's grid into an output directory, resumably, one run at a time or several side by side (an engine
// that runs each in a child process), and writes the report with the time each phase took.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@albert-ts/core/node';
import { withRunLock } from '@albert-ts/trainer/node';
import type { PaperTable } from '@albert-ts/analysis';
import { AblationError } from './errors.js';
import { ANSWERS, type Preset, type RunSpec, expandGrid } from './presets.js';
import { GridProgress, type ProgressSink } from './progress.js';
import { progressCurve } from './curves.js';
import type { InProgressRun, Results, RunResult, Timing, Versions } from './results.js';
import { type ReportFiles, writeReport } from './write-report.js';

/** Everything an engine measures for one run; the grid adds id, study and label. */
export type MeasuredRun = Omit<RunResult, 'id' | 'study' | 'label'>;

/** Context of one run. */
export interface RunContext {
  preset: Preset;
  /** Directory of this run (`<out>/runs/<key>`): checkpoints, metrics, result. */
  runDir: string;
  /** Directory shared by all runs of the grid (`<out>/shared`), e.g. the tokenizer. */
  sharedDir: string;
  /** Called after every training step. */
  onStep(step: number, info: { loss?: number; tokensPerS?: number }): void;
  /** Status messages (evaluation, fine-tuning). */
  note(s: string): void;
}

/** Trains and measures runs; the real ones are `createAlbertEngine` and `createChildProcessEngine`; tests may pass a fake. */
export interface Engine {
  /** Backend name as reported. */
  readonly backend: string;
  /** Threads used by the backend (per run), when known. */
  readonly threads?: number;
  /** Runs this engine can train at the same time (default 1). */
  readonly concurrency?: number;
  /** Versions of the libraries that produce the numbers. */
  versions(): Versions;
  /** Once per grid before the first run (e.g. trains the tokenizer into `sharedDir`). */
  prepare(preset: Preset, sharedDir: string, note: (s: string) => void): Promise<void>;
  /** Trains (resuming from `runDir` if it holds checkpoints), evaluates, fine-tunes and measures one run. */
  run(spec: RunSpec, ctx: RunContext): Promise<MeasuredRun>;
  /** Paper tables (exact counts). */
  paperTables(): PaperTable[];
  /** Releases what the engine holds (worker processes); called once at the end. */
  close?(): Promise<void>;
}

/** Options of {@link ablate}. */
export interface AblateOptions {
  preset: Preset;
  engine: Engine;
  out: string;
  /** Studies and/or run labels to run (see `onlyChoices`); all when absent or empty. */
  only?: string[];
  seeds?: number;
  progress?: ProgressSink;
  /** Rewrite the partial report after a finished run at most this often (default 60 s). */
  partialReportEverySeconds?: number;
}

/** Result of {@link ablate}. */
export interface AblateResult {
  results: Results;
  files: ReportFiles;
  /** Runs trained in this invocation (the rest were finished earlier). */
  trained: number;
}

const GRID_FILE = 'grid.json';
const RESULT_FILE = 'result.json';

/** Where the time of the reported runs went (sums of their phases), with this invocation's set-up and report. */
function timing(runs: readonly RunResult[], prepareSeconds: number, reportSeconds: number, started: number, parallel: number): Timing {
  const sum = (k: 'setup' | 'pretrain' | 'eval' | 'finetune') => runs.reduce((s, r) => s + (r.seconds?.[k] ?? 0), 0);
  const t = { setup_s: sum('setup'), pretrain_s: sum('pretrain'), eval_s: sum('eval'), finetune_s: sum('finetune') };
  const total = prepareSeconds + t.setup_s + t.pretrain_s + t.eval_s + t.finetune_s + reportSeconds;
  return {
    prepare_s: prepareSeconds, ...t, report_s: reportSeconds, pretrain_share: total > 0 ? t.pretrain_s / total : 0,
    wall_s: (Date.now() - started) / 1000, parallel,
  };
}

/**
 * Runs the grid: finished runs (a `result.json` in their directory) are skipped, interrupted ones resume. `out` is
 * locked while the grid runs (a second grid on it is refused with a `RunLockedError` naming the pid that holds it).
 */
export async function ablate(o: AblateOptions): Promise<AblateResult> {
  const out = path.resolve(o.out);
  const sink = o.progress ?? process.stderr;
  return withRunLock(out, () => ablateLocked(o, out), { label: 'ablation', onNote: (line) => void sink.write(`${line}\n`) });
}

async function ablateLocked(o: AblateOptions, out: string): Promise<AblateResult> {
  const started = Date.now();
  await fsp.mkdir(path.join(out, 'runs'), { recursive: true });
  const sharedDir = path.join(out, 'shared');
  await fsp.mkdir(sharedDir, { recursive: true });
  const identity = { preset: o.preset.name, backend: o.engine.backend, model: o.preset.model, training: o.preset.training };
  const gridPath = path.join(out, GRID_FILE);
  if (fs.existsSync(gridPath)) {
    const prev = JSON.parse(fs.readFileSync(gridPath, 'utf8')) as typeof identity;
    if (prev.preset !== identity.preset || JSON.stringify(prev.model) !== JSON.stringify(identity.model) || JSON.stringify(prev.training) !== JSON.stringify(identity.training)) {
      throw new AblationError(`out: ${out} holds a '${prev.preset}' grid with other settings; use another --out for this preset or recipe`);
    }
  }
  await writeFileAtomic(gridPath, `${JSON.stringify(identity, null, 1)}\n`);

  // The report covers the whole grid (runs finished by earlier invocations with other --only lists included);
  // this invocation trains what `only` selects.
  const specs = expandGrid(o.preset, { seeds: o.seeds });
  const selected = expandGrid(o.preset, { only: o.only, seeds: o.seeds });
  if (selected.length === 0) throw new AblationError(`only: nothing of preset '${o.preset.name}' matches ${JSON.stringify(o.only)}`);
  const unique = [...new Map(selected.map((s) => [s.key, s])).values()];
  const progress = new GridProgress(unique, o.progress ?? process.stderr);
  const parallel = Math.max(1, o.engine.concurrency ?? 1);
  const measured = new Map<string, MeasuredRun>();
  let prepareSeconds = 0;
  let reportSeconds = 0;
  let trained = 0;
  let lastReport = 0;
  // The report of the runs finished so far: rewritten after runs, so an interrupted grid still has one.
  const report = async (): Promise<{ results: Results; files: ReportFiles }> => {
    const t0 = Date.now();
    const done = specs.filter((s) => measured.has(s.key));
    const runs: RunResult[] = done.map((s) => ({ id: s.id, study: s.study, label: s.label, ...measured.get(s.key)! }));
    const partial = done.length < specs.length;
    const { tokensPerRun, optimizer, learningRate, warmupProportion, batchSize } = o.preset.training;
    const tokensPerStep = batchSize * o.preset.model.maxSeqLength;
    const inProgress = specs.filter((s) => !measured.has(s.key)).flatMap((s): InProgressRun[] => {
      const c = progressCurve(path.join(out, 'runs', s.dir, 'pretrain', 'metrics.jsonl'), tokensPerStep);
      return c ? [{ id: s.id, study: s.study, label: s.label, seed: s.seed, step: c.step, steps: s.steps, tokens: c.step * tokensPerStep, total_tokens: s.steps * tokensPerStep, curves: c.curves }] : [];
    });
    const results: Results = {
      preset: o.preset.name,
      backend: o.engine.backend,
      ...(o.engine.threads !== undefined ? { threads: o.engine.threads } : {}),
      created: new Date().toISOString(),
      versions: o.engine.versions(),
      budget: [
        ...(partial ? [`PARTIAL REPORT: ${done.length} of ${specs.length} runs of the grid have finished; re-run with the same --out (without --only, or with the missing studies) to complete it.`] : []),
        ...o.preset.budget,
      ],
      answers: ANSWERS[o.preset.name],
      recipe: { optimizer, learningRate, warmupProportion, tokensPerRun, batchSize, maxSeqLength: o.preset.model.maxSeqLength },
      // A configuration in two studies was trained once: count its time once.
      timing: timing([...new Map(done.map((s) => [s.key, runs.find((r) => r.id === s.id)!])).values()], prepareSeconds, reportSeconds, started, parallel),
      ...(partial ? { partial: { finished: done.length, total: specs.length } } : {}),
      paper_tables: o.engine.paperTables(),
      runs,
      ...(inProgress.length > 0 ? { in_progress: inProgress } : {}),
    };
    const files = await writeReport(results, out);
    reportSeconds = (Date.now() - t0) / 1000;
    return { results, files };
  };

  for (const spec of specs) {
    const resultPath = path.join(out, 'runs', spec.dir, RESULT_FILE);
    if (!measured.has(spec.key) && fs.existsSync(resultPath)) measured.set(spec.key, JSON.parse(fs.readFileSync(resultPath, 'utf8')) as MeasuredRun);
  }
  const pending: RunSpec[] = [];
  for (const spec of unique) {
    if (measured.has(spec.key)) progress.startRun(spec.key, spec.label, true);
    else pending.push(spec);
  }
  try {
    if (pending.length > 0) {
      const t0 = Date.now();
      await o.engine.prepare(o.preset, sharedDir, (s) => progress.note(s));
      prepareSeconds = (Date.now() - t0) / 1000;
    }
    const runOne = async (spec: RunSpec): Promise<void> => {
      const runDir = path.join(out, 'runs', spec.dir);
      progress.startRun(spec.key, spec.key);
      await fsp.mkdir(runDir, { recursive: true });
      const m = await o.engine.run(spec, {
        preset: o.preset,
        runDir,
        sharedDir,
        onStep: (step, info) => progress.step(spec.key, step, info),
        note: (s) => progress.note(s, spec.key),
      });
      await writeFileAtomic(path.join(runDir, RESULT_FILE), `${JSON.stringify(m)}\n`);
      measured.set(spec.key, m);
      trained++;
      const learned = m.intrinsic.mlm_left_baseline === false ? ' (did not leave the most-frequent-token baseline)' : '';
      progress.endRun(spec.key, `MLM ${(100 * m.intrinsic.mlm_acc.acc).toFixed(1)}%${learned}, ${m.tokens_per_s.toFixed(0)} tok/s, ${formatSeconds(m)}`);
      if (pending.some((s) => !measured.has(s.key)) && Date.now() - lastReport >= 1000 * (o.partialReportEverySeconds ?? 60)) {
        lastReport = Date.now();
        await report();
      }
    };
    // A pool of `parallel` lanes over the pending runs, in grid order; the first failure stops new runs.
    let next = 0;
    let failure: unknown;
    const lane = async (): Promise<void> => {
      while (failure === undefined && next < pending.length) {
        const spec = pending[next++];
        try {
          await runOne(spec);
        } catch (e) {
          failure ??= e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, pending.length) }, lane));
    if (failure !== undefined) {
      // The interrupted grid still gets a report: what finished, and the curves of what is in progress.
      await report();
      throw failure;
    }
  } finally {
    await o.engine.close?.();
  }
  progress.note('writing the report');
  const { results, files } = await report();
  return { results, files, trained };
}

function formatSeconds(m: MeasuredRun): string {
  const s = m.seconds;
  if (!s) return `${m.wall_s.toFixed(0)} s`;
  return `${s.total.toFixed(0)} s (pretraining ${s.pretrain.toFixed(0)}, evaluation ${s.eval.toFixed(0)}, fine-tuning ${s.finetune.toFixed(0)}, set-up ${s.setup.toFixed(0)})`;
}
