import '@tensorflow/tfjs-backend-cpu';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SweepCell, type SweepOptions, bestRates, sweep, wilson } from '../src/index.js';
import { VOCAB, microConfig, smallCorpus, tmpOut } from './helpers/tiny.js';

let corpus: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  corpus = smallCorpus(30);
});

const options = (out: string): SweepOptions => ({
  config: microConfig(), corpus, vocab: VOCAB, optimizers: ['adamw', 'lamb'], rates: [1e-3, 1e30], tokens: 4 * 4 * 24,
  batchSize: 4, maxSeqLength: 24, maxPredictionsPerSeq: 4, evalPairs: 16, curvePoints: 2, curvePairs: 8, out, progress: false,
  handleSignals: false,
});

describe('sweep', () => {
  it('trains every optimizer × rate, scores each on one held-out set, records divergence, and resumes', async () => {
    const out = tmpOut();
    const seen: SweepCell[] = [];
    const r = await sweep({ ...options(out), onCell: (c) => seen.push(c) });
    expect(r.complete).toBe(true);
    expect(r.cells.map((c) => `${c.optimizer} ${c.lr}`)).toEqual(['adamw 0.001', 'adamw 1e+30', 'lamb 0.001', 'lamb 1e+30']);
    const ok = r.cells[0];
    expect(ok.status).toBe('completed');
    expect(ok.steps).toBe(4);
    expect(ok.tokens).toBe(384);
    // every completed cell is scored on the same masked tokens (paired), with a Wilson interval
    const completed = r.cells.filter((c) => c.status === 'completed');
    expect(new Set(completed.map((c) => c.mlm.n)).size).toBe(1);
    const w = wilson(Math.round(ok.mlm.accuracy * ok.mlm.n), ok.mlm.n);
    expect([ok.mlm.lo, ok.mlm.hi]).toEqual([w.lo, w.hi]);
    expect(ok.left_baseline).toBe(ok.mlm.lo > ok.baseline.hi);
    expect(ok.attention_entropy).toBeGreaterThan(0);
    expect(ok.attention_entropy).toBeLessThanOrEqual(ok.attention_entropy_uniform + 1e-6);
    expect(ok.curve.map((c) => c.step)).toEqual([0, 2, 4]);
    expect(Object.keys(ok.sentence)).toEqual(expect.arrayContaining(['sop_accuracy', 'sop_head_on_nsp_pairs_accuracy', 'sop_pairs_length_rule']));
    // AdamW at 1e30 blows up: recorded, not thrown
    expect(r.cells[1].status).toBe('diverged');
    expect(r.cells[1].error).toMatch(/^loss is/);
    expect(seen).toHaveLength(4);
    const md = fs.readFileSync(r.files.markdown, 'utf8');
    expect(md).toContain('| adamw | 0.001 | 0 | 384 |');
    expect(md).toContain('diverged (non-finite loss)');
    expect(JSON.parse(fs.readFileSync(r.files.json, 'utf8')).cells).toHaveLength(4);

    // Resume: finished cells are read back, not trained again; a new rate adds only its cells.
    const before = fs.statSync(path.join(out, 'cells', 'adamw-lr0.001-s0', 'cell.json')).mtimeMs;
    const again = await sweep({ ...options(out), rates: { adamw: [1e-3, 1e30, 2e-3], lamb: [1e-3, 1e30] } });
    expect(again.cells.map((c) => `${c.optimizer} ${c.lr}`)).toEqual(['adamw 0.001', 'adamw 1e+30', 'adamw 0.002', 'lamb 0.001', 'lamb 1e+30']);
    expect(again.cells[0]).toEqual(ok);
    expect(fs.statSync(path.join(out, 'cells', 'adamw-lr0.001-s0', 'cell.json')).mtimeMs).toBe(before);
    // Other settings in the same directory are refused.
    await expect(sweep({ ...options(out), tokens: 999 })).rejects.toThrow(/holds a sweep with other settings/);
  }, 120_000);

  it('validates options with one-line TrainerErrors', async () => {
    await expect(sweep({ ...options(tmpOut()), optimizers: ['sgd' as 'lamb'] })).rejects.toThrow("optimizer: 'sgd' is not one of adamw, adamw-uncorrected, lamb");
    await expect(sweep({ ...options(tmpOut()), rates: [0] })).rejects.toThrow('rates: 0 must be a positive finite number');
    await expect(sweep({ ...options(tmpOut()), tokens: 0 })).rejects.toThrow('tokens: 0 must be an integer >= 1');
    await expect(sweep({ ...options(tmpOut()), rates: { adamw: [1e-3] } })).rejects.toThrow('rates: at least one learning rate is required for lamb');
  });
});

describe('bestRates', () => {
  const cell = (optimizer: string, lr: number, seed: number, acc: number, left: boolean): SweepCell => ({
    optimizer, lr, seed, status: 'completed', steps: 1, tokens: 1, mlm: { accuracy: acc, lo: 0, hi: 1, n: 100 }, mlm_loss: 1,
    baseline: { accuracy: 0.05, lo: 0, hi: 0.1 }, left_baseline: left, left_baseline_at_tokens: null, attention_entropy: 1,
    attention_entropy_uniform: 2, sentence: {}, curve: [], tokens_per_s: 1, seconds: { setup: 0, train: 0, eval: 0 },
  });

  it('takes the highest mean accuracy over seeds among rates whose every seed left the baseline', () => {
    const cells = [
      cell('adamw', 1e-3, 0, 0.10, true), cell('adamw', 1e-3, 1, 0.12, true),
      cell('adamw', 3e-3, 0, 0.20, true), cell('adamw', 3e-3, 1, 0.04, false), // one seed stayed: not eligible
      cell('adamw', 2e-3, 0, 0.09, true), cell('adamw', 2e-3, 1, 0.09, true),
      cell('lamb', 1e-2, 0, 0.05, false),
    ];
    expect(bestRates(cells, ['adamw', 'lamb'])).toEqual({ adamw: { lr: 1e-3, mlm_accuracy: 0.11 }, lamb: null });
  });
});
