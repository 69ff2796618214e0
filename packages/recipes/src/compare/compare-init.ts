import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '@albert-ts/core/node';
import { loadTask } from '@albert-ts/data';
import { TrainerError, checkInteger, checkPositive, createOptimizer } from '@albert-ts/trainer';
import { modelDirectory } from '../finetune/classifier.js';
import { type FinetuneOptions, finetune } from '../finetune/finetune.js';
import { type Interval, wilson } from '../interval.js';
import { tInterval } from '../t-interval.js';

/** Options of {@link compareInit}: a fine-tuning budget ({@link FinetuneOptions}) run from both initialisations. */
export interface CompareInitOptions extends Omit<FinetuneOptions, 'out' | 'seed' | 'fromScratch' | 'collapse'> {
  /** Working directory: one fine-tuned model and `result.json` per run (`pretrained-seed-S/`, `random-seed-S/`). */
  out: string;
  /** Fine-tuning seeds (head initialisation, random backbone, data order, dropout); default [1, 2, 3]. */
  seeds?: readonly number[];
  /** Called when a run starts (progress of the whole comparison). */
  onRun?: (init: Initialisation, seed: number, index: number, total: number) => void;
}

/** Where a run's backbone weights come from. */
export type Initialisation = 'pretrained' | 'random';

/** One fine-tuning run of the comparison. */
export interface CompareInitRun {
  readonly init: Initialisation;
  readonly seed: number;
  /** Test accuracy with its Wilson 95% interval over the test examples (`n`). */
  readonly accuracy: Interval;
  readonly f1: number;
  /** Spread of the pooled `[CLS]` output over the test examples (0: every input gets the same prediction). */
  readonly pooledSpread: number;
  /** The collapse the monitor saw during training (the run went on to the end), if any. */
  readonly collapse: { readonly step: number; readonly since: number } | null;
  readonly steps: number;
  readonly seconds: number;
  /** The fine-tuned model. */
  readonly checkpoint: string;
  /** The most frequent label of the test examples and its share (the same for every run). */
  readonly majority: { readonly label: string; readonly rate: number };
}

/** One initialisation over every seed. */
export interface CompareInitArm {
  readonly init: Initialisation;
  readonly runs: readonly CompareInitRun[];
  /** Mean test accuracy over the seeds with a Student-t 95% interval across seeds. */
  readonly accuracy: Interval;
  /** Mean pooled `[CLS]` spread over the seeds. */
  readonly pooledSpread: number;
  /** Seeds whose run collapsed. */
  readonly collapsed: number;
}

/** Outcome of {@link compareInit}. */
export interface CompareInitResult {
  readonly task: string;
  readonly model: string;
  readonly seeds: readonly number[];
  /** The most frequent label of the test examples and its share: what predicting one class scores. */
  readonly majority: { readonly label: string; readonly rate: number };
  readonly pretrained: CompareInitArm;
  readonly random: CompareInitArm;
  /** Pretrained minus random accuracy, paired by seed, with a Student-t 95% interval across seeds. */
  readonly difference: Interval;
  /** The fine-tuning settings both arms used. */
  readonly settings: Readonly<Record<string, unknown>>;
}

const RESULT_FILE = 'result.json';

/** The settings a stored run must have been made with to be reused. */
function settingsOf(o: CompareInitOptions): Record<string, unknown> {
  return {
    model: path.resolve(o.model), task: o.task, epochs: o.epochs ?? null, lr: o.lr ?? null, batchSize: o.batchSize ?? null,
    maxSeqLength: o.maxSeqLength ?? null, optimizer: o.optimizer ?? null, warmupProportion: o.warmupProportion ?? null,
    weightDecay: o.weightDecay ?? null, clipNorm: o.clipNorm ?? null, maxTrainExamples: o.maxTrainExamples ?? null,
    maxEvalExamples: o.maxEvalExamples ?? null,
  };
}

/** A stored run made with `settings`, or undefined (none yet); a run made with other settings is refused. */
function storedRun(dir: string, settings: Record<string, unknown>): CompareInitRun | undefined {
  const file = path.join(dir, RESULT_FILE);
  if (!fs.existsSync(file)) return undefined;
  let stored: { settings: unknown; run: CompareInitRun };
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof stored;
  } catch (e) {
    throw new TrainerError(`out: ${file} is not valid JSON (${(e as Error).message}); delete it to rerun that run`, { field: 'out', value: file });
  }
  if (JSON.stringify(stored.settings) !== JSON.stringify(settings)) {
    throw new TrainerError(`out: ${file} was made with other settings (${JSON.stringify(stored.settings)}); use another out directory`,
      { field: 'out', value: file });
  }
  return stored.run;
}

/**
 * Does pretraining help on a task? Fine-tunes the same task from a checkpoint and from random initialisation (the
 * checkpoint's config and tokenizer, random weights) with the same budget and the same seeds, and reports each
 * run's test accuracy with its Wilson interval, each arm's mean with a Student-t interval across seeds, the paired
 * difference, the pooled `[CLS]` spread and how many seeds collapsed (the collapse monitor reports instead of
 * stopping, so a collapsed run still scores). Each finished run is stored in `out`, so an interrupted comparison
 * continues where it stopped.
 */
export async function compareInit(options: CompareInitOptions): Promise<CompareInitResult> {
  const seeds = [...(options.seeds ?? [1, 2, 3])];
  if (seeds.length === 0) throw new TrainerError('seeds: at least one seed is required', { field: 'seeds', value: '' });
  for (const s of seeds) checkInteger('seeds', s, 0);
  if (new Set(seeds).size !== seeds.length) throw new TrainerError(`seeds: ${seeds.join(',')} repeats a seed`, { field: 'seeds', value: seeds.join(',') });
  if (typeof options.out !== 'string' || options.out === '') throw new TrainerError('out: an output directory is required', { field: 'out', value: options.out });
  // what the first fine-tune would reject, before any run starts
  const task = loadTask(options.task);
  modelDirectory(options.model);
  checkPositive('lr', options.lr);
  createOptimizer(options.optimizer ?? 'adamw', { weightDecayRate: options.weightDecay }).dispose();
  const settings = settingsOf(options);
  const { out, seeds: _, onRun, ...finetuneOptions } = options;
  const runs: Record<Initialisation, CompareInitRun[]> = { pretrained: [], random: [] };
  const plan = seeds.flatMap((seed) => (['pretrained', 'random'] as const).map((init) => ({ init, seed })));
  for (const [index, { init, seed }] of plan.entries()) {
    const dir = path.resolve(out, `${init}-seed-${seed}`);
    let run = storedRun(dir, settings);
    if (run === undefined) {
      onRun?.(init, seed, index, plan.length);
      const started = Date.now();
      const r = await finetune({
        // resume: a run interrupted earlier continues from its training checkpoint
        ...finetuneOptions, out: dir, seed, fromScratch: init === 'random', collapse: { action: 'report' }, resume: true,
      });
      if (r.status === 'interrupted') throw new TrainerError(`interrupted during the ${init} run of seed ${seed}; rerun to continue`, { field: 'signal' });
      run = {
        init, seed, accuracy: wilson(Math.round(r.test.accuracy * r.test.count), r.test.count), f1: r.test.f1,
        pooledSpread: r.test.pooledSpread, collapse: r.collapse === undefined ? null : { step: r.collapse.step, since: r.collapse.since },
        steps: r.epochs.at(-1)?.step ?? 0, seconds: (Date.now() - started) / 1000, checkpoint: r.checkpoint,
        majority: { label: r.labels[r.test.majorityClass], rate: r.test.majorityRate },
      };
      writeFileAtomicSync(path.join(dir, RESULT_FILE), JSON.stringify({ settings, run }, null, 1) + '\n');
    }
    runs[init].push(run);
  }
  const arm = (init: Initialisation): CompareInitArm => ({
    init, runs: runs[init], accuracy: tInterval(runs[init].map((r) => r.accuracy.value)),
    pooledSpread: runs[init].reduce((s, r) => s + r.pooledSpread, 0) / runs[init].length,
    collapsed: runs[init].filter((r) => r.collapse !== null).length,
  });
  return {
    task: task.name, model: path.resolve(options.model), seeds, majority: runs.pretrained[0].majority,
    pretrained: arm('pretrained'), random: arm('random'),
    difference: tInterval(seeds.map((_, i) => runs.pretrained[i].accuracy.value - runs.random[i].accuracy.value)), settings,
  };
}
