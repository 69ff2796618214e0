// Full-model parity with HuggingFace transformers v4.36.2 task heads on every ../shared/fixtures/hf-heads fixture:
// the safetensors are loaded into our backbone + head, and logits, losses, backbone outputs, head gradients and
// every parameter's gradient L2 norm are compared with the values HF recorded in the fixture JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  type AlbertForPreTraining, CheckpointError, ConfigError, countParams, configFromHf, createApplyContext,
  type EncoderOutputs, type HfTensor, type Objective, type ParamInfo, type PretrainingBatch, readSafetensors,
} from '@albert-ts/core';
import { factorized } from '@albert-ts/embeddings';
import { type Nested, expectNoLeaks, maxAbsDiff, readBinaryFixture, readJsonFixture, useTestBackend } from '@albert-ts/testing';
import {
  createTaskModel, flattenChoices, maskedLmForward, mlm, mlmTargetsFromLabels, multipleChoice, type MultipleChoiceHead,
  questionAnswering, type QuestionAnsweringHead, sequenceClassification, type SequenceClassificationHead,
  spanCrossEntropy, taskModelFromHf, tokenClassification, type TokenClassificationHead,
} from '../src/index.js';

const TOL = 1e-4;

const FILES = [
  'sequence_classification', 'sequence_regression', 'token_classification', 'question_answering', 'multiple_choice',
  'masked_lm',
] as const;
type FileName = (typeof FILES)[number];

interface HeadsFixture {
  name: string;
  config: Record<string, unknown>;
  num_labels: number;
  num_choices?: number;
  param_count: number;
  param_count_albert: number;
  param_count_head: number;
  has_pooler: boolean;
  inputs: { input_ids: Nested; token_type_ids: Nested; attention_mask: Nested };
  labels: Record<string, Nested>;
  outputs: Record<string, Nested>;
  debug: { last_hidden_state: Nested; pooler_output?: Nested };
  gradients: Record<string, { shape: number[]; values: Nested }>;
  grad_l2_norms: Record<string, number>;
}

function readFixture(name: FileName): { fx: HeadsFixture; tensors: Map<string, HfTensor> } {
  return {
    fx: readJsonFixture<HeadsFixture>('hf-heads', `${name}.json`),
    tensors: readSafetensors(readBinaryFixture('hf-heads', `${name}.safetensors`)),
  };
}

function objectiveFor(name: FileName, fx: HeadsFixture): Objective {
  switch (name) {
    case 'sequence_classification':
    case 'sequence_regression': return sequenceClassification({ numLabels: fx.num_labels });
    case 'token_classification': return tokenClassification({ numLabels: fx.num_labels });
    case 'question_answering': return questionAnswering();
    case 'multiple_choice': return multipleChoice();
    case 'masked_lm': return mlm();
  }
}

/** Model inputs as tensors (`[B*C, T]` flattened for multiple choice). */
function inputsOf(fx: HeadsFixture): { inputIds: tf.Tensor2D; tokenTypeIds: tf.Tensor2D; attentionMask: tf.Tensor2D } {
  return tf.tidy(() => {
    const t = (x: Nested) => {
      const v = tf.tensor(x as number[], undefined, 'int32');
      return v.rank === 3 ? flattenChoices(v as tf.Tensor3D) : (v as tf.Tensor2D); // [B, C, T] -> [B*C, T]
    };
    return { inputIds: t(fx.inputs.input_ids), tokenTypeIds: t(fx.inputs.token_type_ids), attentionMask: t(fx.inputs.attention_mask) };
  });
}

interface HeadRun {
  loss: tf.Scalar;
  /** Named outputs to compare with `fx.outputs` / `fx.debug`. */
  compare: Record<string, tf.Tensor>;
}

/** Backbone + head forward with the fixture labels, HF eval mode (dropout off). */
function runHead(name: FileName, model: AlbertForPreTraining, fx: HeadsFixture): HeadRun {
  const ctx = createApplyContext({ training: false });
  const inputs = inputsOf(fx);
  try {
    const out = model.albert.apply(inputs);
    const enc: EncoderOutputs = out;
    const compare: Record<string, tf.Tensor> = { last_hidden_state: out.lastHiddenState };
    if (out.poolerOutput) compare['pooler_output'] = out.poolerOutput;
    const head = model.heads[0];
    const ints = (x: Nested) => tf.tensor(x as number[], undefined, 'int32');
    switch (name) {
      case 'sequence_classification':
      case 'sequence_regression': {
        const labels = tf.tensor1d(fx.labels['labels'] as number[], fx.num_labels === 1 ? 'float32' : 'int32');
        const r = (head as SequenceClassificationHead).computeWithLabels(enc, labels, ctx);
        return { loss: r.loss, compare: { ...compare, logits: r.logits } };
      }
      case 'token_classification': {
        const r = (head as TokenClassificationHead).computeWithLabels(enc, ints(fx.labels['labels']) as tf.Tensor2D, ctx);
        return { loss: r.loss, compare: { ...compare, logits: r.logits } };
      }
      case 'question_answering': {
        const r = (head as QuestionAnsweringHead).computeWithLabels(
          enc, ints(fx.labels['start_positions']) as tf.Tensor1D, ints(fx.labels['end_positions']) as tf.Tensor1D, ctx);
        return {
          loss: r.loss,
          compare: { ...compare, start_logits: r.startLogits, end_logits: r.endLogits, start_loss: r.startLoss, end_loss: r.endLoss },
        };
      }
      case 'multiple_choice': {
        const r = (head as MultipleChoiceHead).computeWithLabels(enc, ints(fx.labels['labels']) as tf.Tensor1D, ctx);
        return { loss: r.loss, compare: { ...compare, logits: r.logits } };
      }
      case 'masked_lm': {
        const r = maskedLmForward(model, inputs, ints(fx.labels['labels']) as tf.Tensor2D);
        return { loss: r.loss!, compare: { ...compare, logits: r.logits } };
      }
    }
  } finally {
    tf.dispose([inputs.inputIds, inputs.tokenTypeIds, inputs.attentionMask]);
  }
}

/** Every parameter by HF name (`albert.` + canonical for the backbone), with its layout. */
function hfParams(model: AlbertForPreTraining): Map<string, ParamInfo> {
  const m = new Map<string, ParamInfo>();
  for (const info of model.albert.store.infos()) m.set(`albert.${info.name}`, info);
  for (const info of model.headStore.infos()) m.set(info.name, info);
  return m;
}

function expectScalar(t: tf.Tensor, want: number, tol = TOL): void {
  expect(t.shape).toEqual([]);
  expect(Math.abs(t.dataSync()[0] - want)).toBeLessThan(tol);
}

/** Runs the parity checks of one fixture on the active backend. */
function parity(name: FileName, backend: string): void {
  describe(`${name} (${backend})`, () => {
    let fx: HeadsFixture;
    let model: AlbertForPreTraining;
    let objective: Objective;

    beforeAll(() => {
      const r = readFixture(name);
      fx = r.fx;
      objective = objectiveFor(name, fx);
      model = taskModelFromHf(fx.config, r.tensors, objective, { embeddings: factorized() });
    });
    afterAll(() => model?.dispose());

    it('counts parameters like HF', () => {
      expect(model.albert.pooler !== undefined).toBe(fx.has_pooler);
      expect(model.countParameters()).toBe(fx.param_count);
      expect(model.albert.countParameters()).toBe(fx.param_count_albert);
      const config = configFromHf(fx.config);
      expect(objective.countParams(config)).toBe(fx.param_count_head);
      expect(countParams(config, { objectives: [objective], addPoolingLayer: fx.has_pooler }).total).toBe(fx.param_count);
    });

    it('reproduces logits, losses, last_hidden_state and pooler_output', () => {
      expectNoLeaks(() => {
        tf.tidy(() => {
          const { loss, compare } = runHead(name, model, fx);
          expectScalar(loss, fx.outputs['loss'] as number);
          const expected: Record<string, Nested> = { ...fx.outputs, ...fx.debug } as Record<string, Nested>;
          delete expected['loss'];
          expect(Object.keys(compare).sort()).toEqual(Object.keys(expected).sort());
          for (const [k, want] of Object.entries(expected)) {
            const got = compare[k];
            if (typeof want === 'number') expectScalar(got, want);
            else expect(maxAbsDiff(got, want), k).toBeLessThan(TOL);
          }
        });
      });
    });

    it('reproduces head gradients and every gradient L2 norm, leaking no tensor', () => {
      const params = hfParams(model);
      // HF named_parameters() lists each unique parameter once; so does ours (tied decoder = word embeddings).
      expect([...params.keys()].sort()).toEqual(Object.keys(fx.grad_l2_norms).sort());
      const byVar = new Map([...params].map(([hf, info]) => [info.variable.name, hf]));
      expectNoLeaks(() => {
        const { value, grads } = tf.variableGrads(() => runHead(name, model, fx).loss, [...params.values()].map((i) => i.variable));
        try {
          expectScalar(value, fx.outputs['loss'] as number);
          const got = new Map(Object.entries(grads).map(([v, g]) => [byVar.get(v)!, g]));
          for (const [hf, want] of Object.entries(fx.gradients)) {
            const info = params.get(hf)!;
            const g = got.get(hf)!;
            const torch = tf.tidy(() => (info.layout === 'linear' ? tf.transpose(g) : tf.clone(g))); // [in,out] -> [out,in]
            expect(torch.shape).toEqual(want.shape);
            expect(maxAbsDiff(torch, want.values), hf).toBeLessThan(TOL);
            torch.dispose();
          }
          for (const [hf, norm] of Object.entries(fx.grad_l2_norms)) {
            const g = got.get(hf);
            const n = g ? tf.tidy(() => tf.norm(g).dataSync()[0]) : 0;
            expect(Math.abs(n - norm), hf).toBeLessThan(TOL * Math.max(1, norm));
          }
        } finally {
          value.dispose();
          tf.dispose(Object.values(grads));
        }
      });
    });
  });
}

describe('HF task heads, full model on cpu', () => {
  beforeAll(async () => {
    await useTestBackend('cpu');
  });
  for (const name of FILES) parity(name, 'cpu');

  describe('ObjectiveHead.compute (sparse batch form) gives the HF loss', () => {
    function batchWith(fx: HeadsFixture, extra: Partial<PretrainingBatch>): PretrainingBatch {
      const inputs = inputsOf(fx);
      const b = inputs.inputIds.shape[0];
      return {
        ...inputs,
        mlmPositions: tf.zeros([b, 1], 'int32'), mlmIds: tf.zeros([b, 1], 'int32'), mlmWeights: tf.zeros([b, 1]),
        sentenceLabel: tf.zeros([b], 'int32'),
        ...extra,
      } as PretrainingBatch;
    }

    for (const name of ['token_classification', 'masked_lm'] as const) {
      it(`${name}: -100 labels as sparse targets`, () => {
        const { fx, tensors } = readFixture(name);
        const model = taskModelFromHf(fx.config, tensors, objectiveFor(name, fx), { embeddings: factorized() });
        const t = mlmTargetsFromLabels(fx.labels['labels'] as number[][]);
        const batch = batchWith(fx, {
          mlmPositions: tf.tensor2d(t.positions, undefined, 'int32'), mlmIds: tf.tensor2d(t.ids, undefined, 'int32'),
          mlmWeights: tf.tensor2d(t.weights),
        });
        expectNoLeaks(() => {
          const r = model.compute(batch);
          expectScalar(r.loss, fx.outputs['loss'] as number);
          tf.dispose([r.loss, ...Object.values(r.losses), ...Object.values(r.metrics)]);
        });
        tf.dispose(Object.values(batch) as tf.Tensor[]);
        model.dispose();
      });
    }

    it('question_answering: span in mlmPositions[:, 0..1]', () => {
      const { fx, tensors } = readFixture('question_answering');
      const model = taskModelFromHf(fx.config, tensors, questionAnswering(), { embeddings: factorized() });
      const s = fx.labels['start_positions'] as number[];
      const e = fx.labels['end_positions'] as number[];
      const batch = batchWith(fx, { mlmPositions: tf.tensor2d(s.map((v, i) => [v, e[i]]), undefined, 'int32') });
      const r = model.compute(batch);
      expectScalar(r.loss, fx.outputs['loss'] as number);
      expectScalar(r.metrics['start_loss'], fx.outputs['start_loss'] as number);
      tf.dispose([r.loss, ...Object.values(r.losses), ...Object.values(r.metrics)]);
      tf.dispose(Object.values(batch) as tf.Tensor[]);
      model.dispose();
    });

    it('multiple_choice: flattened batch, labels in sentenceLabel', () => {
      const { fx, tensors } = readFixture('multiple_choice');
      const model = taskModelFromHf(fx.config, tensors, multipleChoice(), { embeddings: factorized() });
      const batch = batchWith(fx, { sentenceLabel: tf.tensor1d(fx.labels['labels'] as number[], 'int32') });
      const r = model.compute(batch);
      expectScalar(r.loss, fx.outputs['loss'] as number);
      tf.dispose([r.loss, ...Object.values(r.losses), ...Object.values(r.metrics)]);
      tf.dispose(Object.values(batch) as tf.Tensor[]);
      model.dispose();
    });
  });

  describe('checkpoint loading', () => {
    it('accepts and ignores a pooler in a checkpoint for a no-pooler head (as HF)', () => {
      const { fx, tensors } = readFixture('token_classification');
      const pooled = readFixture('sequence_classification').tensors;
      const withPooler = new Map(tensors);
      for (const [k, v] of pooled) if (k.startsWith('albert.pooler.')) withPooler.set(k, v);
      expect(withPooler.size).toBe(tensors.size + 2);
      const model = taskModelFromHf(fx.config, withPooler, tokenClassification({ numLabels: 5 }), { embeddings: factorized() });
      expect(model.albert.pooler).toBeUndefined();
      expect(model.countParameters()).toBe(fx.param_count);
      tf.tidy(() => {
        const { loss, compare } = runHead('token_classification', model, fx);
        expectScalar(loss, fx.outputs['loss'] as number);
        expect(maxAbsDiff(compare['logits'], fx.outputs['logits'])).toBeLessThan(TOL);
      });
      model.dispose();
    });

    it('throws CheckpointError when the file lacks the head, or the head shape differs', () => {
      const qa = readFixture('question_answering');
      expectNoLeaks(() => {
        expect(() => taskModelFromHf(qa.fx.config, qa.tensors, tokenClassification({ numLabels: 5 }), { embeddings: factorized() }))
          .toThrow(CheckpointError);
        const tok = readFixture('token_classification');
        expect(() => taskModelFromHf(tok.fx.config, tok.tensors, tokenClassification({ numLabels: 3 }), { embeddings: factorized() }))
          .toThrow(/classifier\.weight.*shape/);
        // A multiple-choice head needs a pooler, which the token-classification file does not have.
        expect(() => taskModelFromHf(tok.fx.config, tok.tensors, multipleChoice(), { embeddings: factorized() }))
          .toThrow(CheckpointError);
      }); // the half-built model is disposed
    });
  });

  describe('loss edge cases (HF semantics, checked against hand-computed CE)', () => {

    it('QA span CE: positions clamp to [0, T], T is ignored, mean over the rest; NaN if all ignored', checkSpanCrossEntropy);

    it('token CE ignores -100 (NaN if all ignored); bad label shapes give ConfigError', () => {
      const model = createTaskModel(configFromHf(readJsonFixture<HeadsFixture>('hf-heads', 'token_classification.json').config),
        tokenClassification({ numLabels: 4 }), { embeddings: factorized() });
      const head = model.heads[0] as TokenClassificationHead;
      expect(model.albert.pooler).toBeUndefined();
      tf.tidy(() => {
        const l = tf.tensor3d([logits]); // [1, 2, 4]
        expectScalar(head.loss(l, tf.tensor2d([[2, -100]], undefined, 'int32')), ce(logits[0], 2), 1e-6);
        expectScalar(head.loss(l, tf.tensor2d([[1, 3]], undefined, 'int32')), (ce(logits[0], 1) + ce(logits[1], 3)) / 2, 1e-6);
        expect(Number.isNaN(head.loss(l, tf.tensor2d([[-100, -100]], undefined, 'int32')).dataSync()[0])).toBe(true);
        const h = tf.zeros([2, 3, model.config.hiddenSize]) as tf.Tensor3D;
        expect(() => head.computeWithLabels({ lastHiddenState: h }, tf.zeros([2, 4], 'int32') as tf.Tensor2D,
          createApplyContext({ training: false }))).toThrow(ConfigError);
      });
      model.dispose();
      expect(() => tokenClassification({ numLabels: 0 })).toThrow(ConfigError);
      expect(() => questionAnswering({ numLabels: 3 as 2 })).toThrow(ConfigError);
    });
  });
});

const logits = [[1, 2, 0.5, -1], [0, 0, 3, 1]]; // [B=2, T=4]
const ce = (row: number[], k: number) => Math.log(row.reduce((s, v) => s + Math.exp(v), 0)) - row[k];

/** QA span CE against hand-computed CE, with positions below 0 and above T (clamped) and T itself (ignored). */
function checkSpanCrossEntropy(): void {
  tf.tidy(() => {
    const l = tf.tensor2d(logits);
    expectScalar(spanCrossEntropy(l, tf.tensor1d([1, 2], 'int32')), (ce(logits[0], 1) + ce(logits[1], 2)) / 2, 1e-6);
    expectScalar(spanCrossEntropy(l, tf.tensor1d([-5, 9], 'int32')), ce(logits[0], 0), 1e-6);
    expectScalar(spanCrossEntropy(l, tf.tensor1d([4, 3], 'int32')), ce(logits[1], 3), 1e-6);
    // INT32_MAX clamps to T (ignored); read as f32 bits it is a NaN, which the stock wasm clamp turned into 0.
    expectScalar(spanCrossEntropy(l, tf.tensor1d([2147483647, 3], 'int32')), ce(logits[1], 3), 1e-6);
    expect(Number.isNaN(spanCrossEntropy(l, tf.tensor1d([4, 7], 'int32')).dataSync()[0])).toBe(true);
  });
}

describe('HF task heads, full model on wasm', () => {
  beforeAll(async () => {
    await useTestBackend('wasm');
  });
  afterAll(async () => {
    await useTestBackend('cpu');
  });
  for (const name of ['question_answering', 'multiple_choice'] as const) parity(name, 'wasm');
  // The clamp is tf.clipByValue on int32, which the stock wasm kernel computed on the f32 bit patterns.
  it('QA span CE clamps positions as on cpu', checkSpanCrossEntropy);
});
