// Sanity checks that training can learn at all: gradients reach every parameter, and a micro model drives the
// loss on a fixed tiny training set to ~0 (sequence classification and MLM+SOP pretraining).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { ParameterStore, createAlbert, createApplyContext } from '@albert-ts/core';
import { disposeBatch, toBatchTensors, tokenizeDocuments, vocabInfo } from '@albert-ts/data';
import { factorized } from '@albert-ts/embeddings';
import { sequenceClassification } from '@albert-ts/objectives';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AdamW, buildPretrainingSetup, clipByGlobalNorm, forward, loadCorpus, loadTokenizer, namedGradients, pieceTokenizer,
} from '../src/index.js';
import { buildInstances } from '../src/pretrain/pipeline.js';
import { VOCAB, microConfig, smallCorpus } from './helpers/tiny.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const noDropout = microConfig({ hiddenDropoutProb: 0, attentionProbsDropoutProb: 0, vocabSize: 60, maxPositionEmbeddings: 16 });

/** 16 sequences of 12 random ids in [5, 60); class 1 iff token 7 occurs (planted at a random position). */
function easyTask(): { ids: tf.Tensor2D; types: tf.Tensor2D; mask: tf.Tensor2D; labels: tf.Tensor1D; y: number[] } {
  let s = 1;
  const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  const n = 16, t = 12;
  const ids = new Int32Array(n * t);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < t; j++) { let v = 5 + Math.floor(rnd() * 55); if (v === 7) v = 8; ids[i * t + j] = v; }
    ids[i * t] = 2; // [CLS]
    const label = i % 2;
    if (label === 1) ids[i * t + 1 + Math.floor(rnd() * (t - 1))] = 7;
    y.push(label);
  }
  return {
    ids: tf.tensor2d(ids, [n, t], 'int32'), types: tf.zeros([n, t], 'int32'), mask: tf.ones([n, t], 'int32'),
    labels: tf.tensor1d(y, 'int32'), y,
  };
}

describe('training can fit a tiny set (no dropout)', () => {
  it('classification: gradients reach backbone and classifier, and the loss goes to ~0 with 100% accuracy', () => {
    const albert = createAlbert(noDropout, { embeddings: factorized(), seed: 3 });
    const store = new ParameterStore(noDropout.initializerRange, 4);
    const head = sequenceClassification({ numLabels: 2 }).build({ config: albert.config, params: store, wordEmbeddings: albert.wordEmbeddings });
    const params = new Map([...albert.namedParameters(), ...store.named()]);
    const d = easyTask();
    const opt = new AdamW({ weightDecayRate: 0.01 });
    const lossFn = () => {
      const out = albert.apply({ inputIds: d.ids, tokenTypeIds: d.types, attentionMask: d.mask }, { training: true, dropoutSeed: 1 });
      return { loss: head.loss(head.logits(out.poolerOutput!, createApplyContext({ training: true, dropoutSeed: 2 })), d.labels), metrics: {} };
    };
    try {
      const first = namedGradients(params, lossFn);
      const norms = new Map([...first.grads].map(([k, g]) => [k, tf.tidy(() => tf.norm(g).dataSync()[0])]));
      tf.dispose([...first.grads.values()]);
      // every parameter gets a gradient (the pooler and classifier included), and it is not zero
      expect([...params.keys()].filter((k) => !(norms.get(k)! > 0))).toEqual([]);
      expect([...params.keys()].some((k) => k.startsWith('classifier.'))).toBe(true);
      expect([...params.keys()].some((k) => k.includes('pooler'))).toBe(true);
      expect(first.loss).toBeGreaterThan(0.5);
      let loss = first.loss;
      for (let step = 0; step < 120 && loss > 0.02; step++) {
        const r = namedGradients(params, lossFn);
        const c = clipByGlobalNorm(r.grads, 1.0);
        opt.applyGradients(params, c.grads, 3e-3);
        tf.dispose([...r.grads.values(), ...c.grads.values()]);
        loss = r.loss;
      }
      expect(loss).toBeLessThan(0.05);
      const preds = tf.tidy(() => {
        const out = albert.apply({ inputIds: d.ids, tokenTypeIds: d.types, attentionMask: d.mask }, { training: false });
        return Array.from(tf.argMax(head.logits(out.poolerOutput!, createApplyContext({ training: false })), -1).dataSync());
      });
      expect(preds).toEqual(d.y);
    } finally {
      tf.dispose([d.ids, d.types, d.mask, d.labels]);
      opt.dispose();
      albert.dispose();
      store.dispose();
    }
  });

  it('pretraining: MLM + SOP loss on one fixed batch goes to ~0 and MLM accuracy to 1', async () => {
    const tok = loadTokenizer(VOCAB);
    const pieces = pieceTokenizer(tok.tokenizer);
    const corpus = await loadCorpus(smallCorpus(4));
    const docs = await tokenizeDocuments(corpus.train, pieces);
    const settings = { maxSeqLength: 16, maxPredictionsPerSeq: 3, maskedLmProb: 0.15, dupeFactor: 1 };
    const instances = buildInstances(docs, vocabInfo(pieces), 'sop', 5, settings, 4);
    const batch = toBatchTensors(instances, 16, 3);
    const setup = buildPretrainingSetup(microConfig({ hiddenDropoutProb: 0, attentionProbsDropoutProb: 0, vocabSize: tok.tokenizer.vocabSize }), 'sop', 7);
    const params = setup.model.namedParameters();
    const opt = new AdamW({ weightDecayRate: 0.01 });
    try {
      let r = { loss: Infinity, metrics: {} as Record<string, number> };
      for (let step = 0; step < 200 && r.loss > 0.03; step++) {
        const g = namedGradients(params, () => {
          const f = forward(setup, setup.trainingHeads, batch, true, step);
          return { loss: f.loss, metrics: f.metrics };
        });
        if (step === 0) expect(g.loss).toBeGreaterThan(5); // ~ln(500) + ln(2)
        const c = clipByGlobalNorm(g.grads, 1.0);
        opt.applyGradients(params, c.grads, 2e-3); // (1e-2 makes plain Adam collapse to a constant prediction)
        tf.dispose([...g.grads.values(), ...c.grads.values()]);
        r = g;
      }
      expect(r.loss).toBeLessThan(0.05);
      const key = Object.keys(r.metrics).find((k) => k.includes('mlm') && k.includes('acc'))!;
      expect(r.metrics[key]).toBe(1);
    } finally {
      disposeBatch(batch);
      opt.dispose();
      setup.model.dispose();
    }
  });
});
