// evaluatePretraining: honest names (which head on which pairs), the most-frequent-token baseline, the cue rules of
// length-matched held-out pairs, counts for intervals, attention entropy against an independent computation.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { type SentenceObjective, toBatchTensors, disposeBatch } from '@albert-ts/data';
import { expectNoLeaks } from '@albert-ts/testing';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type EvalSets, type TokenizedCorpus, aboveWithDisjointIntervals, evaluatePretraining, formatEvalLine, heldOutEvalSets,
  mlmMajorityBaseline, pretrainingModel, tokenizeCorpus, wilson,
} from '../src/index.js';
import { VOCAB, microConfig, smallCorpus } from './helpers/tiny.js';

let corpus: TokenizedCorpus;
let sets: EvalSets;
const T = 24;
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  corpus = await tokenizeCorpus({ corpus: smallCorpus(40), tokenizer: loadAlbertTokenizer(VOCAB) });
  sets = heldOutEvalSets(corpus, { maxSeqLength: T, maxPredictionsPerSeq: 4, seed: 3, count: 24 })!;
});

const config = () => microConfig({ vocabSize: 500, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0 });
const options = { batchSize: 5, maxSeqLength: T, maxPredictionsPerSeq: 4 };

describe('heldOutEvalSets', () => {
  it('builds balanced, length-matched SOP and NSP pairs with their cue rules', () => {
    expect(sets.lengthMatched).toBe(true);
    for (const set of [sets.sop, sets.nsp]) {
      expect(set).toHaveLength(24);
      expect(set.filter((x) => x.label === 1)).toHaveLength(12);
    }
    expect(sets.cues!.sop.lengthRule.accuracy).toBe(0.5);
    expect(sets.cues!.nsp.punctuationRule.n).toBe(24);
  });
});

describe('evaluatePretraining', () => {
  const names: Record<SentenceObjective, [string, string]> = {
    sop: ['sop_accuracy', 'sop_head_on_nsp_pairs_accuracy'],
    nsp: ['nsp_head_on_sop_pairs_accuracy', 'nsp_accuracy'],
    none: ['untrained_head_on_sop_pairs_accuracy', 'untrained_head_on_nsp_pairs_accuracy'],
  };
  for (const objective of ['sop', 'nsp', 'none'] as const) {
    it(`${objective}: names each sentence accuracy by the head and the pairs it is scored on`, () => {
      const { model } = pretrainingModel(config(), objective, { seed: 1 });
      try {
        const m = expectNoLeaks(() => evaluatePretraining(model, objective, sets, options));
        const accs = Object.keys(m).filter((k) => k.endsWith('_accuracy') && k !== 'mlm_accuracy').sort();
        expect(accs).toEqual([...names[objective]].sort());
        for (const k of names[objective]) expect(m[k as keyof typeof m]).toBeGreaterThanOrEqual(0);
        expect(m.sop_pairs_length_rule).toBe(0.5);
        expect(m.nsp_pairs_punctuation_rule).toBe(sets.cues!.nsp.punctuationRule.accuracy);
        expect([m.sop_pairs, m.nsp_pairs]).toEqual([24, 24]);
      } finally {
        model.dispose();
      }
    });
  }

  it('counts masked tokens, compares MLM with the most-frequent-token rate of the same targets, and agrees with compute()', () => {
    const { model } = pretrainingModel(config(), 'sop', { seed: 2 });
    try {
      const m = evaluatePretraining(model, 'sop', sets, options);
      const targets = sets.sop.reduce((s, x) => s + x.maskedLmIds.length, 0);
      expect(m.mlm_count).toBe(targets);
      expect(m.mlm_correct).toBe(Math.round(m.mlm_accuracy * m.mlm_count));
      expect(m.mlm_baseline).toBe(mlmMajorityBaseline(sets.sop).rate);
      const b = mlmMajorityBaseline(sets.sop);
      expect(m.mlm_left_baseline).toBe(wilson(m.mlm_correct, m.mlm_count).lo > wilson(b.count, b.total).hi);
      // The same numbers from the model's own compute() on the whole set as one batch.
      const batch = toBatchTensors(sets.sop, T, options.maxPredictionsPerSeq);
      try {
        const r = model.compute(batch);
        expect(m.mlm_accuracy).toBeCloseTo(r.metrics['mlm_accuracy'].dataSync()[0], 5);
        expect(m.mlm_loss).toBeCloseTo(r.losses['mlm'].dataSync()[0], 4);
        expect(m.sop_accuracy).toBeCloseTo(r.metrics['sop_accuracy'].dataSync()[0], 5);
        tf.dispose([r.loss, ...Object.values(r.losses), ...Object.values(r.metrics)]);
      } finally {
        disposeBatch(batch);
      }
      expect(formatEvalLine(m)).toMatch(/^mlm_loss \S+ mlm_acc \S+ \(most-frequent token \S+.*\) sop_acc \S+ \(length rule 0\.500, punctuation rule \S+\) sop_head_on_nsp_pairs_acc \S+ \(length rule/);
    } finally {
      model.dispose();
    }
  });

  it('measures attention entropy per layer, equal to a plain computation from outputAttentions', () => {
    const { model } = pretrainingModel(config(), 'sop', { seed: 4 });
    const small: EvalSets = { sop: sets.sop.slice(0, 6), nsp: sets.nsp.slice(0, 4) };
    try {
      const m = expectNoLeaks(() => evaluatePretraining(model, 'sop', small, { ...options, attentionEntropy: true }));
      let sum = [0, 0];
      let uniform = 0;
      let rows = 0;
      for (const set of [small.sop]) { // entropy is measured on the SOP set
        const batch = toBatchTensors(set, T, 4);
        const out = model.albert.apply(batch, { outputAttentions: true });
        const mask = batch.attentionMask.arraySync() as number[][];
        out.attentions!.forEach((a, l) => {
          const p = a.arraySync() as number[][][][];
          p.forEach((heads, b) => heads.forEach((q) => q.forEach((row, i) => {
            if (mask[b][i] === 0) return;
            sum[l] -= row.reduce((s, x) => s + (x > 0 ? x * Math.log(x) : 0), 0);
            if (l === 0) {
              const keys = mask[b].reduce((s, x) => s + x, 0);
              uniform += Math.log(keys);
              rows++;
            }
          })));
        });
        tf.dispose([out.lastHiddenState, out.poolerOutput!, ...out.attentions!]);
        disposeBatch(batch);
      }
      sum = sum.map((x) => x / rows);
      expect(m.attention_entropy_by_layer!).toHaveLength(2);
      m.attention_entropy_by_layer!.forEach((x, l) => expect(x).toBeCloseTo(sum[l], 4));
      expect(m.attention_entropy_uniform).toBeCloseTo(uniform / rows, 4);
      // Random initial attention is close to uniform but never above it.
      expect(m.attention_entropy!).toBeLessThanOrEqual(m.attention_entropy_uniform! + 1e-6);
    } finally {
      model.dispose();
    }
  });
});

describe('aboveWithDisjointIntervals', () => {
  it('needs the Wilson intervals to be disjoint, not just a higher point', () => {
    expect(aboveWithDisjointIntervals(60, 49, 1000)).toBe(false);
    expect(aboveWithDisjointIntervals(120, 49, 1000)).toBe(true);
    expect(aboveWithDisjointIntervals(0, 0, 0)).toBe(false);
  });
});
