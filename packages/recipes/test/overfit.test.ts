// Sanity checks that training can learn at all: gradients reach every parameter, and a micro model drives the
// loss on a fixed tiny training set to ~0 through `train` (sequence classification and MLM+SOP pretraining).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { type PretrainingBatch, createApplyContext } from '@albert-ts/core';
import { disposeBatch } from '@albert-ts/data';
import { factorized } from '@albert-ts/embeddings';
import { type SequenceClassificationHead, createTaskModel, sequenceClassification } from '@albert-ts/objectives';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';
import { AdamW, namedGradients, train } from '@albert-ts/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { pretrainingData, pretrainingModel } from '../src/index.js';
import { VOCAB, microConfig, smallCorpus } from './helpers/tiny.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const noDropout = microConfig({ hiddenDropoutProb: 0, attentionProbsDropoutProb: 0, vocabSize: 60, maxPositionEmbeddings: 16 });

/** 16 sequences of 12 random ids in [5, 60); class 1 iff token 7 occurs (planted at a random position). */
function easyTask(): { batch: PretrainingBatch; y: number[] } {
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
  const none = () => tf.zeros([n, 0], 'int32') as tf.Tensor2D;
  return {
    batch: {
      inputIds: tf.tensor2d(ids, [n, t], 'int32'), tokenTypeIds: tf.zeros([n, t], 'int32'), attentionMask: tf.ones([n, t], 'int32'),
      mlmPositions: none(), mlmIds: none(), mlmWeights: tf.zeros([n, 0]), sentenceLabel: tf.tensor1d(y, 'int32'),
    },
    y,
  };
}

/** The same batch at every step (kept: `disposeBatches: false`). */
const repeat = <B>(batch: B) => ({ next: () => batch });

describe('training can fit a tiny set (no dropout)', () => {
  it('classification: gradients reach backbone and classifier, and the loss goes to ~0 with 100% accuracy', async () => {
    const model = createTaskModel(noDropout, sequenceClassification({ numLabels: 2 }), { embeddings: factorized(), seed: 3 });
    const { batch, y } = easyTask();
    const params = model.namedParameters();
    try {
      const first = namedGradients(params, () => ({ loss: model.compute(batch, { training: true }).loss, metrics: {} }));
      const norms = new Map([...first.grads].map(([k, g]) => [k, tf.tidy(() => tf.norm(g).dataSync()[0])]));
      tf.dispose([...first.grads.values()]);
      // every parameter gets a gradient (the pooler and classifier included), and it is not zero
      expect([...params.keys()].filter((k) => !(norms.get(k)! > 0))).toEqual([]);
      expect([...params.keys()].some((k) => k.startsWith('classifier.'))).toBe(true);
      expect([...params.keys()].some((k) => k.includes('pooler'))).toBe(true);
      expect(first.loss).toBeGreaterThan(0.5);
      const r = await train(model, repeat(batch), {
        optimizer: new AdamW({ weightDecayRate: 0.01 }), schedule: () => 3e-3, steps: 120, disposeBatches: false,
        onStep: (info) => (info.loss < 0.02 ? 'stop' : undefined),
      });
      expect(r.records.filter((x) => x.type === 'train').at(-1)!.loss as number).toBeLessThan(0.05);
      const head = model.head<SequenceClassificationHead>('sequence_classification')!;
      const preds = tf.tidy(() => Array.from(tf.argMax(head.logits(model.albert.apply(batch).poolerOutput!, createApplyContext()), -1).dataSync()));
      expect(preds).toEqual(y);
    } finally {
      disposeBatch(batch);
      model.dispose();
    }
  });

  it('pretraining: MLM + SOP loss on one fixed batch goes to ~0 and MLM accuracy to 1', async () => {
    const data = await pretrainingData({
      corpus: smallCorpus(4), tokenizer: loadAlbertTokenizer(VOCAB), batchSize: 4, maxSeqLength: 16, maxPredictionsPerSeq: 3,
      seed: 5, evalExamples: 0,
    });
    const batch = await data.batches.next();
    const { model } = pretrainingModel(microConfig({ hiddenDropoutProb: 0, attentionProbsDropoutProb: 0, vocabSize: data.tokenizer.vocabSize }), 'sop', { seed: 7 });
    try {
      const r = await train(model, repeat(batch), {
        optimizer: new AdamW({ weightDecayRate: 0.01 }), schedule: () => 5e-3, steps: 200, disposeBatches: false,
        onStep: (info) => (info.loss < 0.03 ? 'stop' : undefined),
      });
      const steps = r.records.filter((x) => x.type === 'train');
      expect(steps[0].loss as number).toBeGreaterThan(5); // ~ln(500) + ln(2)
      expect(steps.at(-1)!.loss as number).toBeLessThan(0.05);
      expect(steps.at(-1)!.mlm_accuracy).toBe(1);
    } finally {
      disposeBatch(batch);
      model.dispose();
    }
  });
});
