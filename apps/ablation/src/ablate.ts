// Runs a preset's grid into an output directory, resumably, and writes the report.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@albert-ts/core/node';
import { AblationError } from './errors.js';
import type { PaperTable } from '@albert-ts/analysis';
import { type Preset, type RunSpec, expandGrid } from './presets.js';
import { GridProgress, type ProgressSink } from './progress.js';
import type { Results, RunResult, Study, Versions } from './results.js';
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

/** Trains and measures runs; the real one is {@link createAlbertEngine}, tests may pass a fake. */
export interface Engine {
  /** Backend name as reported. */
  readonly backend: string;
  /** Threads used by the backend, when known. */
  readonly threads?: number;
  /** Versions of the libraries that produce the numbers. */
  versions(): Versions;
  /** Once per grid before the first run (e.g. trains the tokenizer into `sharedDir`). */
  prepare(preset: Preset, sharedDir: string, note: (s: string) => void): Promise<void>;
  /** Trains (resuming from `runDir` if it holds checkpoints), evaluates, fine-tunes and measures one run. */
  run(spec: RunSpec, ctx: RunContext): Promise<MeasuredRun>;
  /** Paper tables (exact counts). */
  paperTables(): PaperTable[];
}

/** Options of {@link ablate}. */
export interface AblateOptions {
  preset: Preset;
  engine: Engine;
  out: string;
  only?: Study;
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

/** Runs the grid: finished runs (a `result.json` in their directory) are skipped, interrupted ones resume. */
export async function ablate(o: AblateOptions): Promise<AblateResult> {
  const out = path.resolve(o.out);
  await fsp.mkdir(path.join(out, 'runs'), { recursive: true });
  const sharedDir = path.join(out, 'shared');
  await fsp.mkdir(sharedDir, { recursive: true });
  const identity = { preset: o.preset.name, backend: o.engine.backend, model: o.preset.model, training: o.preset.training };
  const gridPath = path.join(out, GRID_FILE);
  if (fs.existsSync(gridPath)) {
    const prev = JSON.parse(fs.readFileSync(gridPath, 'utf8')) as typeof identity;
    if (prev.preset !== identity.preset || JSON.stringify(prev.model) !== JSON.stringify(identity.model) || JSON.stringify(prev.training) !== JSON.stringify(identity.training)) {
      throw new AblationError(`out: ${out} holds a '${prev.preset}' grid; use another --out for preset '${identity.preset}'`);
    }
  }
  await writeFileAtomic(gridPath, `${JSON.stringify(identity, null, 1)}\n`);

  const specs = expandGrid(o.preset, { only: o.only, seeds: o.seeds });
  const unique = [...new Map(specs.map((s) => [s.key, s])).values()];
  const progress = new GridProgress(unique.length, o.preset.training.steps, o.progress ?? process.stderr);
  const measured = new Map<string, MeasuredRun>();
  let prepared = false;
  let trained = 0;
  let lastReport = 0;
  // The report of the runs finished so far: rewritten after every run, so an interrupted grid still has one.
  const report = async (): Promise<{ results: Results; files: ReportFiles }> => {
    const done = specs.filter((s) => measured.has(s.key));
    const runs: RunResult[] = done.map((s) => ({ id: s.id, study: s.study, label: s.label, ...measured.get(s.key)! }));
    const partial = done.length < specs.length;
    const results: Results = {
      preset: o.preset.name,
      backend: o.engine.backend,
      ...(o.engine.threads !== undefined ? { threads: o.engine.threads } : {}),
      created: new Date().toISOString(),
      versions: o.engine.versions(),
      budget: [
        ...(partial ? [`PARTIAL REPORT: ${done.length} of ${specs.length} runs have finished; re-run with the same --out to complete the grid.`] : []),
        ...o.preset.budget,
      ],
      ...(partial ? { partial: { finished: done.length, total: specs.length } } : {}),
      paper_tables: o.engine.paperTables(),
      runs,
    };
    return { results, files: await writeReport(results, out) };
  };
  for (const [i, spec] of unique.entries()) {
    const runDir = path.join(out, 'runs', spec.dir);
    const resultPath = path.join(runDir, RESULT_FILE);
    if (fs.existsSync(resultPath)) {
      measured.set(spec.key, JSON.parse(fs.readFileSync(resultPath, 'utf8')) as MeasuredRun);
      progress.startRun(i, spec.label, true);
      continue;
    }
    if (!prepared) {
      await o.engine.prepare(o.preset, sharedDir, (s) => progress.note(s));
      prepared = true;
    }
    progress.startRun(i, `${spec.key}`);
    await fsp.mkdir(runDir, { recursive: true });
    const m = await o.engine.run(spec, {
      preset: o.preset,
      runDir,
      sharedDir,
      onStep: (step, info) => progress.step(step, info),
      note: (s) => progress.note(s),
    });
    await writeFileAtomic(resultPath, `${JSON.stringify(m)}\n`);
    measured.set(spec.key, m);
    trained++;
    progress.endRun(`MLM ${(100 * m.intrinsic.mlm_acc.acc).toFixed(1)}%, ${m.tokens_per_s.toFixed(0)} tok/s, ${m.wall_s.toFixed(0)} s`);
    if (i < unique.length - 1 && Date.now() - lastReport >= 1000 * (o.partialReportEverySeconds ?? 60)) {
      await report();
      lastReport = Date.now();
    }
  }
  progress.note('writing the report');
  const { results, files } = await report();
  return { results, files, trained };
}
