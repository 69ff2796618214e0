// Downstream accuracy of a pretrained checkpoint: fine-tunes it with @albert-ts/recipes' `finetune` (its default
// optimizer and schedule; the preset sets only the budget) on each task of the preset, and the same configuration
// from random weights at the same budget (the baseline pretraining has to beat), each with a Wilson interval.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '@albert-ts/core/node';
import { loadTask } from '@albert-ts/data';
import { finetune } from '@albert-ts/recipes';
import type { RunContext } from './ablate.js';
import type { Preset } from './presets.js';
import type { Accuracy } from './results.js';
import { wilson } from './stats.js';

/** One fine-tune's test accuracy, F1, and whether the collapse monitor saw it collapse to one class. */
export type FineTuned = Accuracy & { f1: number; collapsed?: boolean };

/** Downstream accuracies and their intervals, keyed by task. */
export interface DownstreamResult {
  accuracy: Record<string, number>;
  ci95: Record<string, { ci95: [number, number]; n: number }>;
  /** Share of the most frequent label in each task's full test split. */
  majority: Record<string, number>;
  /** Test F1 (positive class for binary tasks, macro otherwise); 0 flags a model that predicts one class only. */
  f1: Record<string, number>;
  /** Tasks whose fine-tune from the pretrained model collapsed to one class. */
  collapsed: string[];
  /** The random-init baseline per task (when the preset asks for it). */
  randomInit?: Record<string, FineTuned>;
}

/** Fine-tunes `checkpoint` (from its weights, or from random ones) on one task; the work directory is removed after. */
async function fineTuneOnce(checkpoint: string, p: Preset, task: string, seed: number, dir: string, fromScratch: boolean): Promise<FineTuned> {
  // A fine-tune interrupted earlier starts over: it is short, and finetune() has no resume.
  fs.rmSync(dir, { recursive: true, force: true });
  const r = await finetune({
    model: checkpoint,
    task,
    out: dir,
    epochs: p.finetune.epochs,
    ...(p.finetune.learningRate !== undefined ? { lr: p.finetune.learningRate } : {}),
    batchSize: p.finetune.batchSize,
    maxSeqLength: p.finetune.maxSeqLength,
    seed,
    fromScratch,
    ...(p.finetune.maxTrainExamples !== undefined ? { maxTrainExamples: p.finetune.maxTrainExamples } : {}),
    ...(p.finetune.maxTestExamples !== undefined ? { maxEvalExamples: p.finetune.maxTestExamples } : {}),
    progress: false,
    handleSignals: false,
    // A fine-tune that collapses to one class is a result here (marked), not an error that stops the grid.
    collapse: { action: 'report' },
  });
  // The fine-tuned weights are not needed by the report; keep the run directory small.
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.status !== 'completed') throw new Error(`fine-tuning on ${task} was interrupted`);
  const n = r.test.count;
  const w = wilson(Math.round(r.test.accuracy * n), n);
  return { acc: r.test.accuracy, ci95: [w.lo, w.hi], n, f1: r.test.f1, ...(r.collapse ? { collapsed: true } : {}) };
}

/**
 * Fine-tunes `checkpoint` on every task of the preset (each in `<runDir>/finetune-<task>`, removed afterwards) and,
 * when the preset asks for it, a random-init model of the same configuration at the same budget. Random-init
 * results depend only on the configuration, seed and task, so they are cached in `randomInit.cacheDir` under
 * `randomInit.key` and shared by runs that differ only in their pretraining objective.
 */
export async function finetuneTasks(
  checkpoint: string, p: Preset, seed: number, ctx: RunContext, randomInit: { cacheDir: string; key: string },
): Promise<DownstreamResult> {
  const out: DownstreamResult = { accuracy: {}, ci95: {}, majority: {}, f1: {}, collapsed: [], ...(p.finetune.randomInit ? { randomInit: {} } : {}) };
  for (const task of p.finetune.tasks) {
    ctx.note(`fine-tuning on ${task}`);
    const pre = await fineTuneOnce(checkpoint, p, task, seed, path.join(ctx.runDir, `finetune-${task}`), false);
    out.accuracy[task] = pre.acc;
    out.ci95[task] = { ci95: pre.ci95, n: pre.n };
    out.f1[task] = pre.f1;
    if (pre.collapsed) out.collapsed.push(task);
    out.majority[task] = Math.max(...Object.values(loadTask(task).balance.test.fractions));
    if (!out.randomInit) continue;
    const cached = path.join(randomInit.cacheDir, `${randomInit.key}-${task}.json`);
    if (fs.existsSync(cached)) {
      out.randomInit[task] = JSON.parse(fs.readFileSync(cached, 'utf8')) as FineTuned;
      continue;
    }
    ctx.note(`fine-tuning a random-init twin on ${task} (same budget)`);
    out.randomInit[task] = await fineTuneOnce(checkpoint, p, task, seed, path.join(ctx.runDir, `finetune-${task}-random-init`), true);
    fs.mkdirSync(randomInit.cacheDir, { recursive: true });
    await writeFileAtomic(cached, `${JSON.stringify(out.randomInit[task])}\n`);
  }
  return out;
}
