import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApplyContext, type EncoderOutputs, type PretrainingBatch } from '@albert-ts/core';
import { expectNoLeaks } from '@albert-ts/testing';
import { classifierDiagnostics, sequenceClassification } from '../src/index.js';
import type { AlbertConfig } from '@albert-ts/core';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

// Reference in plain JS numbers.
const std = (xs: number[]) => { const m = xs.reduce((a, b) => a + b, 0) / xs.length; return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length); };
function entropy(row: number[]): number {
  const z = Math.max(...row);
  const e = row.map((x) => Math.exp(x - z));
  const s = e.reduce((a, b) => a + b, 0);
  return -e.reduce((a, x) => a + (x / s) * Math.log(x / s), 0);
}

describe('classifierDiagnostics', () => {
  it('spread of the pooled output across the batch, mean prediction entropy, share of the top predicted class', () => {
    const pooled = [[1, 0, 2], [3, 0, 2], [2, 0, -1], [0, 0, 1]];
    const logits = [[2, 0], [1, 3], [0.5, 0.1], [4, -1]]; // predictions 0, 1, 0, 0
    const want = {
      pooled_spread: [0, 1, 2].reduce((a, h) => a + std(pooled.map((r) => r[h])), 0) / 3,
      prediction_entropy: logits.reduce((a, r) => a + entropy(r), 0) / 4,
      top_class_fraction: 0.75,
    };
    expectNoLeaks(() => {
      const d = tf.tidy(() => classifierDiagnostics(tf.tensor2d(pooled), tf.tensor2d(logits)));
      for (const [k, v] of Object.entries(want)) expect(d[k as keyof typeof want].dataSync()[0], k).toBeCloseTo(v, 5);
      tf.dispose(Object.values(d));
    });
  });

  it('a collapsed batch (one representation, one class) has spread 0 and top-class fraction 1', () => {
    const d = tf.tidy(() => classifierDiagnostics(tf.ones([5, 4]) as tf.Tensor2D, tf.tile(tf.tensor2d([[0.1, 0.3]]), [5, 1]) as tf.Tensor2D));
    expect(d.pooled_spread.dataSync()[0]).toBe(0);
    expect(d.top_class_fraction.dataSync()[0]).toBe(1);
    expect(d.prediction_entropy.dataSync()[0]).toBeCloseTo(entropy([0.1, 0.3]), 5);
    tf.dispose(Object.values(d));
  });

  it('the sequence-classification head reports them from compute (not for regression)', () => {
    const config = { hiddenSize: 3, classifierDropoutProb: 0, hiddenDropoutProb: 0 } as AlbertConfig;
    const params = { create: (_: string, shape: number[]) => tf.variable(tf.ones(shape)) };
    for (const [numLabels, keys] of [[2, ['accuracy', 'pooled_spread', 'prediction_entropy', 'top_class_fraction']], [1, ['mse']]] as const) {
      const head = sequenceClassification({ numLabels }).build({ config, params, wordEmbeddings: undefined as unknown as tf.Variable });
      const outputs = { lastHiddenState: tf.randomNormal([4, 5, 3], 0, 1, 'float32', 1), poolerOutput: tf.randomNormal([4, 3], 0, 1, 'float32', 2) } as EncoderOutputs;
      const batch = { sentenceLabel: tf.tensor1d([0, 1, 1, 0], numLabels === 1 ? 'float32' : 'int32') } as PretrainingBatch;
      const r = head.compute(outputs, batch, createApplyContext());
      expect(Object.keys(r.metrics).sort()).toEqual([...keys]);
      tf.dispose([r.loss, ...Object.values(r.metrics), outputs.lastHiddenState, outputs.poolerOutput!, batch.sentenceLabel]);
    }
  });
});
