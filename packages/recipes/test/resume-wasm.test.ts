import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '@albert-ts/testing';
import { pretrain, type PretrainOptions } from '../src/index.js';
import { VOCAB, microConfig, smallCorpus, tmpOut } from './helpers/tiny.js';

let corpus: string;
beforeAll(async () => {
  corpus = smallCorpus(12);
  await useTestBackend('wasm'); // the application picks the backend, never the recipe
});

const base = (out: string): PretrainOptions => ({
  config: microConfig(), objective: 'nsp', corpus, vocab: VOCAB, steps: 6, batchSize: 2, maxSeqLength: 16,
  lr: 5e-3, warmup: 1, evalEvery: 0, saveEvery: 100, out, progress: false, handleSignals: false, seed: 11,
});

describe('resume on wasm', () => {
  it('continues within 1e-5 of an uninterrupted run', async () => {
    const full = await pretrain(base(tmpOut()));
    expect(tf.getBackend()).toBe('wasm');
    const out = tmpOut();
    await pretrain({ ...base(out), stopAfter: 3 });
    const resumed = await pretrain({ ...base(out), resume: true });
    expect(resumed.resumedFrom).toBe(3);
    const a = full.train.map((t) => t.loss);
    const b = resumed.train.map((t) => t.loss);
    expect(b).toHaveLength(a.length);
    a.forEach((x, i) => expect(Math.abs(b[i] - x)).toBeLessThan(1e-5));
  });
});
