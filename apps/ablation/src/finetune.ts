// Downstream accuracy of a pretrained checkpoint: fine-tunes it (recipes' `finetune`, HF sequence-classification
// semantics) on each task of the preset and reports test accuracy with a Wilson interval.
import fs from 'node:fs';
import path from 'node:path';
import { loadTask } from '@albert-ts/data';
import { finetune } from '@albert-ts/recipes';
import type { RunContext } from './ablate.js';
import type { Preset } from './presets.js';
import { wilson } from './stats.js';

/** Downstream accuracies and their intervals, keyed by task. */
export interface DownstreamResult {
  accuracy: Record<string, number>;
  ci95: Record<string, { ci95: [number, number]; n: number }>;
  /** Share of the most frequent label in each task's full test split. */
  majority: Record<string, number>;
  /** Test F1 (positive class for binary tasks, macro otherwise); 0 flags a model that predicts one class only. */
  f1: Record<string, number>;
}

/** Fine-tunes `checkpoint` on every task of the preset (each into `<runDir>/finetune-<task>`, cleared first). */
export async function finetuneTasks(checkpoint: string, p: Preset, seed: number, ctx: RunContext): Promise<DownstreamResult> {
  const out: DownstreamResult = { accuracy: {}, ci95: {}, majority: {}, f1: {} };
  for (const task of p.finetune.tasks) {
    ctx.note(`fine-tuning on ${task}`);
    const dir = path.join(ctx.runDir, `finetune-${task}`);
    // A fine-tune interrupted earlier starts over: it is short, and finetune() has no resume.
    fs.rmSync(dir, { recursive: true, force: true });
    const r = await finetune({
      model: checkpoint,
      task,
      out: dir,
      epochs: p.finetune.epochs,
      lr: p.finetune.learningRate,
      batchSize: p.finetune.batchSize,
      maxSeqLength: p.finetune.maxSeqLength,
      seed,
      ...(p.finetune.maxTrainExamples !== undefined ? { maxTrainExamples: p.finetune.maxTrainExamples } : {}),
      ...(p.finetune.maxTestExamples !== undefined ? { maxEvalExamples: p.finetune.maxTestExamples } : {}),
      progress: false,
      handleSignals: false,
    });
    if (r.status !== 'completed') throw new Error(`fine-tuning on ${task} was interrupted`);
    const n = r.test.count;
    const w = wilson(Math.round(r.test.accuracy * n), n);
    out.accuracy[task] = r.test.accuracy;
    out.ci95[task] = { ci95: [w.lo, w.hi], n };
    out.f1[task] = r.test.f1;
    out.majority[task] = Math.max(...Object.values(loadTask(task).balance.test.fractions));
    // The fine-tuned weights are not needed by the report; keep the run directory small.
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
