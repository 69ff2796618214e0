import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_PLANNED_EVALS, MIN_PLANNED_PAIRS, type PretrainOptions, planEvaluations, pretrain } from '../src/index.js';
import { VOCAB, microConfig, smallCorpus, tmpOut } from './helpers/tiny.js';

describe('planEvaluations: evaluation at most 10% of the projected training time', () => {
  const costs = { steps: 1000, stepSeconds: 1, pairs: 256 };
  it('as many full evaluations as fit, at most 10, evenly spaced (the last at the end)', () => {
    // 1000 s of training: a 10 s evaluation fits 10 times, a 25 s one 4 times, a 60 s one once
    expect(planEvaluations({ ...costs, sequenceSeconds: 10 / 512 })).toEqual({ every: 100, pairs: 256 });
    expect(planEvaluations({ ...costs, sequenceSeconds: 1 / 512 })).toEqual({ every: 1000 / MAX_PLANNED_EVALS, pairs: 256 });
    expect(planEvaluations({ ...costs, sequenceSeconds: 25 / 512 })).toEqual({ every: 250, pairs: 256 });
    expect(planEvaluations({ ...costs, sequenceSeconds: 60 / 512 })).toEqual({ every: 0, pairs: 256 });
    expect(planEvaluations({ ...costs, sequenceSeconds: 25 / 512, share: 0.5 })).toEqual({ every: 100, pairs: 256 });
  });

  it('when not even one full evaluation fits: only the final one, on the pairs that fit (at least 64 per set)', () => {
    expect(planEvaluations({ ...costs, sequenceSeconds: 200 / 512 })).toEqual({ every: 0, pairs: 128 }); // 100 s: 256 sequences
    expect(planEvaluations({ ...costs, sequenceSeconds: 10 })).toEqual({ every: 0, pairs: MIN_PLANNED_PAIRS });
    expect(planEvaluations({ ...costs, pairs: 16, sequenceSeconds: 10 })).toEqual({ every: 0, pairs: 16 });
  });
});

describe('pretrain with the planned evaluation default', () => {
  let corpus: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
    corpus = smallCorpus();
  });
  const base = (out: string, lines: string[]): PretrainOptions => ({
    config: microConfig(), objective: 'sop', corpus, vocab: VOCAB, steps: 10, batchSize: 4, maxSeqLength: 24, lr: 5e-3,
    warmup: 2, evalExamples: 32, out, handleSignals: false, seed: 7,
    progress: { write: (s: string) => { lines.push(...s.split('\n').filter(Boolean)); return true; } },
  });

  it('a 10-step run does not evaluate 10 times; it says when it evaluates; a resumed run keeps the plan', async () => {
    const lines: string[] = [];
    const full = await pretrain(base(tmpOut(), lines));
    const plan = full.records.find((r) => r.event === 'eval-plan')!;
    expect(plan.step).toBe(5);
    expect(full.eval.length).toBeLessThan(10);
    expect(full.eval.at(-1)!.step).toBe(10); // always at the end
    // here one evaluation costs about as much as the whole run: only the final one, on the smallest set allowed (32 pairs)
    expect(full.eval.map((e) => e.step)).toEqual([10]);
    expect(full.eval[0].sop_pairs).toBe(32);
    expect(lines).toContain('evaluating at step 10 (64 sequences)...');
    expect(lines.filter((l) => l.startsWith('evaluation plan: at the end only, on 32 pairs per set'))).toHaveLength(1);
    expect(full.seconds.eval).toBeGreaterThan(0);

    const out = tmpOut();
    const resumedLines: string[] = [];
    await pretrain({ ...base(out, []), stopAfter: 7 });
    const resumed = await pretrain({ ...base(out, resumedLines), resume: true });
    expect(resumed.resumedFrom).toBe(7);
    expect(resumedLines.some((l) => l.startsWith('evaluation plan'))).toBe(false);
    expect(resumed.records.filter((r) => r.event === 'eval-plan')).toHaveLength(1);
    expect(resumed.eval.map((e) => [e.step, e.mlm_loss])).toEqual(full.eval.map((e) => [e.step, e.mlm_loss]));
  });
});
