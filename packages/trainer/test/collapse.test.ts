// collapseMonitor: the decision rule on hand-made step sequences, then real runs of a micro classifier through
// `train`: one that collapses (google-research AdamW at an absurd rate: one class, pooled spread 0) and healthy ones
// (bias-corrected AdamW), whose first steps also predict one class with a flat loss and must not be flagged.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaks } from '@albert-ts/testing';
import {
  AdamW, AdamWeightDecay, CollapseError, type MetricsRecord, type StepInfo, TrainerError, type TrainRun,
  collapseMonitor, disposeBatch, memoryCheckpoints, train,
} from '../src/index.js';
import { classificationBatches, tinyClassifier } from './helpers/models.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

interface Fake { loss: number; spread: number; top: number; lr?: number }

/** Feeds `steps` to a monitor as `train` would; returns the thrown error (if any), the logged records and the step reached. */
function feed(monitor: ReturnType<typeof collapseMonitor>, steps: Fake[], checkpoints: Record<number, string> = {}) {
  const records: MetricsRecord[] = [];
  let last: TrainRun<unknown>['lastCheckpoint'];
  let step = 0;
  try {
    for (const f of steps) {
      step += 1;
      const info: StepInfo = {
        step, totalSteps: steps.length, loss: f.loss, lr: f.lr ?? 1e-3, gradNorm: 1, seconds: 0, tokens: 0,
        metrics: { pooled_spread: f.spread, prediction_entropy: 0.69, top_class_fraction: f.top },
      };
      const run = { model: undefined, step, totalSteps: steps.length, resumedFrom: 0, records, lastCheckpoint: last, log: (r: MetricsRecord) => records.push(r) };
      monitor(info, run);
      if (checkpoints[step] !== undefined) last = { location: checkpoints[step], step };
    }
    return { error: undefined, records, step };
  } catch (e) {
    return { error: e as Error, records, step };
  }
}

const healthy = (n: number, from = 0): Fake[] => Array.from({ length: n }, (_, i) => ({ loss: 0.69 - 0.005 * (from + i), spread: 0.3, top: 0.6 }));
/** A collapsed stretch: one class, spread 0, loss of a constant prediction (varies with each batch's labels). */
const collapsed = (n: number): Fake[] => Array.from({ length: n }, (_, i) => ({ loss: 0.69 + 0.05 * Math.sin(i * 2.1), spread: 1e-6, top: 1 }));

describe('collapseMonitor: the decision', () => {
  it('stops after `patience` collapsed steps with a flat loss, naming the cause and the checkpoint before the collapse', () => {
    const m = collapseMonitor({ patience: 10 });
    const r = feed(m, [...healthy(20), ...collapsed(30)], { 10: 'ckpt/step-10', 20: 'ckpt/step-20', 25: 'ckpt/step-25' });
    expect(r.error).toBeInstanceOf(CollapseError);
    expect(r.error).toBeInstanceOf(TrainerError);
    expect(r.step).toBe(30);
    const report = (r.error as CollapseError).report;
    expect(report).toMatchObject({ step: 30, since: 21, restartFrom: 'ckpt/step-20', peakLearningRate: 1e-3, suggestedLearningRate: 2.5e-4 });
    expect(r.error!.message).toBe(report.message);
    expect(r.error!.message).not.toContain('\n');
    expect(r.error!.message).toBe('training collapsed at step 30: since step 21 the pooled [CLS] spread is 0.0000 (peak 0.3000), so every input ' +
      'gets the same prediction (top class 100% of each batch, prediction entropy 0.690), and the loss has stopped falling ' +
      `(mean ${report.loss.toFixed(3)} over the last 10 steps); the learning rate is likely too high (peak 1.0e-3): ` +
      'start again from ckpt/step-20 with a lower rate, e.g. 2.5e-4');
    expect((r.error as CollapseError).field).toBe('schedule.learningRate');
    expect(r.records).toEqual([expect.objectContaining({ type: 'event', event: 'collapse', step: 30, since: 21 })]);
  });

  it('does not fire for an untrained start (one class, flat loss, small spread that is its own peak), a low spread, or while the loss falls', () => {
    // steps 1-40: what a fresh classifier looks like: a single class, loss 0.693, spread tiny but growing
    const start: Fake[] = Array.from({ length: 40 }, (_, i) => ({ loss: 0.693, spread: 0.002 * (1 + i / 10), top: 1 }));
    expect(feed(collapseMonitor({ patience: 10 }), [...start, ...healthy(40)]).error).toBeUndefined();
    // one class and spread 0, but the loss is clearly falling: not (yet) a collapse
    const falling: Fake[] = Array.from({ length: 30 }, (_, i) => ({ loss: 2 - 0.05 * i, spread: 0, top: 1 }));
    expect(feed(collapseMonitor({ patience: 10 }), [...healthy(5), ...falling]).error).toBeUndefined();
    // a collapsed stretch shorter than patience, then recovery
    expect(feed(collapseMonitor({ patience: 10 }), [...healthy(10), ...collapsed(9), ...healthy(30, 10)]).error).toBeUndefined();
    // a spread at 2% of its peak is low, but not collapsed
    expect(feed(collapseMonitor({ patience: 10 }), [...healthy(10), ...collapsed(30).map((f) => ({ ...f, spread: 0.006 }))]).error).toBeUndefined();
    // ... and in training, dropout flips predictions of a collapsed model: a top class of 60% is still a collapse
    expect(feed(collapseMonitor({ patience: 10 }), [...healthy(10), ...collapsed(30).map((f) => ({ ...f, top: 0.6 }))]).error).toBeInstanceOf(CollapseError);
  });

  it("'report' logs the event once and lets training continue; restartFrom overrides the checkpoint", () => {
    const m = collapseMonitor({ patience: 8, action: 'report', restartFrom: 'the pretrained checkpoint runs/pre' });
    const r = feed(m, [...healthy(5), ...collapsed(40)]);
    expect(r.error).toBeUndefined();
    expect(r.step).toBe(45);
    expect(r.records.filter((x) => x.event === 'collapse')).toHaveLength(1);
    expect(m.report).toMatchObject({ step: 13, since: 6, restartFrom: 'the pretrained checkpoint runs/pre' });
    expect(m.report!.message).toContain('start again from the pretrained checkpoint runs/pre with a lower rate');
  });

  it('a resumed run replays the train records before its checkpoint and decides as the uninterrupted run', () => {
    const steps = [...healthy(5), ...collapsed(40)];
    const whole = collapseMonitor({ patience: 8, action: 'report' });
    feed(whole, steps);
    for (const resumedFrom of [3, 9, 20]) {
      const records: MetricsRecord[] = steps.slice(0, resumedFrom).map((f, i) => ({
        type: 'train', step: i + 1, loss: f.loss, lr: 1e-3, grad_norm: 1, pooled_spread: f.spread, prediction_entropy: 0.69, top_class_fraction: f.top,
      }));
      if (resumedFrom >= 13) records.push({ type: 'event', step: 13, event: 'collapse' });
      const resumed = collapseMonitor({ patience: 8, action: 'report' });
      const logged: MetricsRecord[] = [];
      steps.slice(resumedFrom).forEach((f, i) => {
        const step = resumedFrom + i + 1;
        resumed({ step, totalSteps: 45, loss: f.loss, lr: 1e-3, gradNorm: 1, seconds: 0, tokens: 0,
          metrics: { pooled_spread: f.spread, prediction_entropy: 0.69, top_class_fraction: f.top } },
        { model: undefined, step, totalSteps: 45, resumedFrom, records, lastCheckpoint: undefined, log: (r) => logged.push(r) });
      });
      expect(resumed.report, `resumed from ${resumedFrom}`).toEqual(whole.report);
      expect(logged.length, `resumed from ${resumedFrom}`).toBe(resumedFrom >= 13 ? 0 : 1); // logged once, when it happened
    }
  });

  it('refuses a model without the diagnostics, and bad options, with field-typed errors', () => {
    const m = collapseMonitor();
    const run = { model: undefined, step: 1, totalSteps: 1, resumedFrom: 0, records: [], lastCheckpoint: undefined, log: () => undefined };
    const info: StepInfo = { step: 1, totalSteps: 1, loss: 1, lr: 1, gradNorm: 1, seconds: 0, tokens: 0, metrics: { accuracy: 1 } };
    expect(() => m(info, run)).toThrow('collapseMonitor: the model reports no pooled_spread at step 1 (metrics: accuracy)');
    expect(() => collapseMonitor({ patience: 1 })).toThrow('collapseMonitor: patience: 1 must be an integer >= 2');
    expect(() => collapseMonitor({ spreadRatio: 1 })).toThrow('collapseMonitor: spreadRatio: 1 must be in [0, 1)');
    expect(() => collapseMonitor({ action: 'ignore' as 'stop' })).toThrow("collapseMonitor: action: ignore must be 'stop' or 'report'");
  });
});

describe('collapseMonitor on real training runs (micro classifier, cpu)', () => {
  it('google-research AdamW at an absurd rate collapses: train stops with CollapseError naming the last good checkpoint', async () => {
    const model = tinyClassifier();
    const ckpt = memoryCheckpoints<typeof model>({ every: 2, keep: 50 });
    const err = await train(model, classificationBatches(80), {
      optimizer: new AdamWeightDecay(), schedule: { learningRate: 0.3, totalSteps: 80, warmupSteps: 4 }, checkpoint: ckpt,
      onStep: collapseMonitor({ patience: 20 }),
    }).then(() => undefined, (e: unknown) => e as CollapseError);
    expect(err).toBeInstanceOf(CollapseError);
    const { step, since, restartFrom, pooledSpread, peakPooledSpread } = err!.report;
    expect(step).toBeLessThan(80);
    expect(step - since).toBeGreaterThanOrEqual(19); // patience 20 collapsed steps, more while the loss happened to fall
    expect(pooledSpread).toBeLessThan(0.01 * peakPooledSpread);
    const before = 2 * Math.floor((since - 1) / 2);
    expect(restartFrom).toBe(before > 0 ? `memory:step-${before}` : 'the initial weights');
    expect(err!.message).toMatch(/^training collapsed at step \d+: .* start again from \S+.* with a lower rate, e\.g\. 7\.1e-2$/);
    model.dispose();
  }, 60_000);

  it('bias-corrected AdamW learns the task at a sane rate and at 10x it, and is never flagged; no tensor leaks', async () => {
    for (const lr of [1e-3, 1e-2]) {
      const model = tinyClassifier();
      const monitor = collapseMonitor({ patience: 20, action: 'report' });
      const batches = classificationBatches(60);
      const optimizer = new AdamW();
      let accuracy = 0;
      await train(model, batches.slice(0, 1), { optimizer, schedule: () => lr, steps: 1, disposeBatches: false }); // create the slots
      await expectNoLeaks(async () => {
        await train(model, batches.slice(1), {
          optimizer, schedule: { learningRate: lr, totalSteps: 59, warmupSteps: 3 }, onStep: [monitor, (i) => { accuracy = i.metrics['accuracy']; }],
          disposeBatches: false,
        });
      });
      expect(monitor.report, `lr ${lr}`).toBeUndefined();
      expect(accuracy, `lr ${lr}`).toBe(1);
      batches.forEach(disposeBatch);
      optimizer.dispose();
      model.dispose();
    }
  }, 60_000);
});
