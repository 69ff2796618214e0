import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaks, readJsonFixture } from '@albert-ts/testing';
import { sequenceClassification } from '../src/index.js';
import type { ApplyContext, AlbertConfig, ParameterFactory } from '@albert-ts/core';

// The head is checked on HF's own pooled output (debug.pooler_output), so the test isolates the head's semantics
// (Linear layout, loss reduction, gradients) from the backbone.

interface HeadFixture {
  config: { hidden_size: number; classifier_dropout_prob: number };
  num_labels: number;
  labels: { labels: number[] };
  outputs: { logits: number[][]; loss: number };
  debug: { pooler_output: number[][] };
  gradients: Record<string, { shape: number[]; values: number[] | number[][] }>;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const evalCtx: ApplyContext = { training: false, dropout: (x) => x };

function factory(): { params: ParameterFactory; vars: Map<string, tf.Variable> } {
  const vars = new Map<string, tf.Variable>();
  return {
    vars,
    params: {
      create(name, shape) {
        const v = tf.tidy(() => tf.variable(tf.zeros(shape), true));
        vars.set(name, v);
        return v;
      },
    },
  };
}

async function loadHead(file: string) {
  const fx = readJsonFixture<HeadFixture>('hf-heads', `${file}.json`);
  const { readSafetensors } = await import('@albert-ts/core');
  const fs = await import('node:fs');
  const { fixturePath } = await import('@albert-ts/testing');
  const st = readSafetensors(new Uint8Array(fs.readFileSync(fixturePath('hf-heads', `${file}.safetensors`))));
  const { params, vars } = factory();
  const config = { hiddenSize: fx.config.hidden_size, classifierDropoutProb: 0.1, hiddenDropoutProb: 0 } as AlbertConfig;
  const objective = sequenceClassification({ numLabels: fx.num_labels });
  const head = objective.build({ config, params, wordEmbeddings: undefined as unknown as tf.Variable });
  const w = st.get('classifier.weight')!; // torch [numLabels, H]
  head.weight.assign(tf.transpose(tf.tensor(w.data, w.shape))); // [C, H] -> [H, C]
  head.bias.assign(tf.tensor(st.get('classifier.bias')!.data));
  return { fx, head, objective, vars };
}

function expectClose(got: ArrayLike<number>, want: number[], tol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(tol);
}

for (const file of ['sequence_classification', 'sequence_regression']) {
  describe(`AlbertForSequenceClassification head vs HF (${file})`, () => {
    it('matches logits, loss and head gradients', async () => {
      const { fx, head, objective, vars } = await loadHead(file);
      expect(objective.countParams({ hiddenSize: fx.config.hidden_size } as AlbertConfig))
        .toBe(fx.num_labels * fx.config.hidden_size + fx.num_labels);
      const pooled = tf.tensor2d(fx.debug.pooler_output);
      const labels = tf.tensor1d(fx.labels.labels, fx.num_labels === 1 ? 'float32' : 'int32');
      expectNoLeaks(() => {
        const { value, grads } = tf.variableGrads(() => {
          const r = head.computeWithLabels({ lastHiddenState: undefined as unknown as tf.Tensor3D, poolerOutput: pooled }, labels, evalCtx);
          for (const m of Object.values(r.metrics)) m.dispose();
          expectClose(r.logits.dataSync(), fx.outputs.logits.flat(), 1e-5);
          r.logits.dispose();
          return r.loss;
        }, [head.weight, head.bias]);
        expect(Math.abs(value.dataSync()[0] - fx.outputs.loss)).toBeLessThan(1e-5);
        const gw = fx.gradients['classifier.weight'];
        const gotW = tf.transpose(grads[head.weight.name]); // [H, C] -> [C, H]
        expectClose(gotW.dataSync(), (gw.values as number[][]).flat(), 1e-4);
        expectClose(grads[head.bias.name].dataSync(), fx.gradients['classifier.bias'].values as number[], 1e-4);
        gotW.dispose();
        value.dispose();
        for (const g of Object.values(grads)) g.dispose();
      });
      pooled.dispose(); labels.dispose();
      for (const v of vars.values()) v.dispose();
    });
  });
}

describe('heads declare whether they read the pooled output', () => {
  it('sequence classification, multiple choice, SOP and NSP do (whatever their name); token heads do not', async () => {
    const o = await import('../src/index.js');
    for (const head of [o.sequenceClassification({ numLabels: 2 }), o.multipleChoice({}), o.sop(), o.nsp(), o.sop({ name: 'order' })]) {
      expect(o.headUsesPooler(head), head.name).toBe(true);
    }
    for (const head of [o.mlm(), o.tokenClassification({ numLabels: 3 }), o.questionAnswering({})]) {
      expect(o.headUsesPooler(head), head.name).toBe(false);
    }
  });
});
