import { describe, expect, it } from 'vitest';
import type { MetricsRecord, StepInfo, TrainRun } from '@albert-ts/trainer';
import { type MlmBaseline, wilson } from '../src/index.js';
import { MLM_AT_BASELINE, mlmBaselineWarning } from '../src/pretrain/baseline-warning.js';

// 2,000 held-out targets, the most frequent one 100 times: rate 0.05, Wilson upper bound ~0.0605.
const baseline: MlmBaseline = { tokenId: 9, count: 100, total: 2000, rate: 0.05 };

/** Runs the hook after evaluations at steps 10, 20, ... with the given accuracies; returns warnings and records. */
function run(accuracies: number[], after: number, history: MetricsRecord[] = []) {
  const warnings: string[] = [];
  const records: MetricsRecord[] = [...history];
  const hook = mlmBaselineWarning({ baseline, totalSteps: 10 * accuracies.length, peakLearningRate: 2e-3, after, warn: (l) => warnings.push(l) });
  accuracies.forEach((acc, i) => {
    const step = 10 * (i + 1);
    records.push({ type: 'train', step, loss: 1 });
    records.push({ type: 'eval', step, mlm_accuracy: acc });
    const view = { records, log: (r: MetricsRecord) => records.push(r) } as unknown as TrainRun<unknown>;
    hook({ step, lr: 1e-3 } as StepInfo, view); // the step's (decayed) rate is not the one the warning names
  });
  return { warnings, events: records.filter((r) => r.event === MLM_AT_BASELINE) };
}

describe('mlmBaselineWarning', () => {
  it('warns once, after the given fraction of the run, while accuracy is not above the baseline with disjoint intervals', () => {
    const r = run([0.05, 0.05, 0.055, 0.052], 0.5);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toBe('warning: after 20 of 40 steps, held-out MLM accuracy 0.0500 has not left the most-frequent-token ' +
      'rate 0.0500 (2000 targets); the peak learning rate 2.00e-3 is likely wrong for this model (too high or too low): compare ' +
      'rates with a sweep before training longer');
    expect(r.events).toEqual([{ type: 'event', step: 20, event: MLM_AT_BASELINE, mlm_accuracy: 0.05, mlm_baseline: 0.05 }]);
  });

  it('does not warn for a model that left the baseline (disjoint Wilson intervals), nor again after a resume', () => {
    const left = 0.08; // 160/2000: Wilson lower bound ~0.069 > the baseline's upper bound ~0.0605
    expect(wilson(160, 2000).lo).toBeGreaterThan(wilson(100, 2000).hi);
    expect(run([0.03, left, left], 0.5).warnings).toEqual([]);
    // 0.06 is higher than 0.05 but the intervals overlap: still at the baseline
    expect(run([0.06, 0.06], 0.5).warnings).toHaveLength(1);
    const resumed = [{ type: 'event', step: 20, event: MLM_AT_BASELINE } as MetricsRecord];
    expect(run([0.05, 0.05], 0.25, resumed).warnings).toEqual([]);
  });
});
