// hfTaskOf / hfTaskModelFromHf / hfTaskOutputs against the HF v4.36.2 head fixtures (../shared/fixtures/hf-heads):
// the class is read from config.json `architectures` (added here: the fixtures' configs come from `to_dict()`
// before saving, which has none), and the named outputs equal HF's within 1e-4.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, type HfTensor, readSafetensors } from '@albert-ts/core';
import { factorized } from '@albert-ts/embeddings';
import { type Nested, expectNoLeaks, maxAbsDiff, readBinaryFixture, readJsonFixture, useTestBackend } from '@albert-ts/testing';
import { hfTaskModelFromHf, hfTaskOf, hfTaskOutputs } from '../src/index.js';

interface HeadsFixture {
  head: string;
  config: Record<string, unknown>;
  inputs: { input_ids: number[][]; token_type_ids: number[][]; attention_mask: number[][] };
  outputs: Record<string, Nested>;
}

function read(name: string): { fx: HeadsFixture; tensors: Map<string, HfTensor> } {
  return {
    fx: readJsonFixture<HeadsFixture>('hf-heads', `${name}.json`),
    tensors: readSafetensors(readBinaryFixture('hf-heads', `${name}.safetensors`)),
  };
}

beforeAll(async () => {
  await useTestBackend('cpu');
});

const CASES: [string, string[]][] = [
  ['sequence_classification', ['logits']],
  ['sequence_regression', ['logits']],
  ['token_classification', ['logits']],
  ['question_answering', ['start_logits', 'end_logits']],
  ['masked_lm', ['logits']],
];

describe('HF task heads by architecture', () => {
  for (const [name, fields] of CASES) {
    it(`${name}: outputs equal HF's, no tensor leaks`, () => {
      const { fx, tensors } = read(name);
      const config = { ...fx.config, architectures: [fx.head] };
      const m = hfTaskModelFromHf(config, tensors, { embeddings: factorized() });
      try {
        expectNoLeaks(() => tf.dispose(Object.values(tf.tidy(() => hfTaskOutputs(m, m.albert.apply({
          inputIds: tf.tensor2d(fx.inputs.input_ids, undefined, 'int32'),
        }))))));
        expect(m.task.architecture).toBe(fx.head);
        const out = tf.tidy(() => {
          const o = m.albert.apply({
            inputIds: tf.tensor2d(fx.inputs.input_ids, undefined, 'int32'),
            tokenTypeIds: tf.tensor2d(fx.inputs.token_type_ids, undefined, 'int32'),
            attentionMask: tf.tensor2d(fx.inputs.attention_mask, undefined, 'int32'),
          });
          return hfTaskOutputs(m, o);
        });
        expect(Object.keys(out).sort()).toEqual([...fields].sort());
        for (const f of fields) expect(maxAbsDiff(out[f]!, fx.outputs[f]!), f).toBeLessThan(1e-4);
        tf.dispose(Object.values(out));
      } finally {
        m.dispose();
      }
    });
  }

  it('labels come from id2label (HF default LABEL_i); problem_type is kept', () => {
    const { fx, tensors } = read('sequence_classification');
    const task = hfTaskOf({ ...fx.config, architectures: [fx.head], id2label: { 0: 'neg', 1: 'neutral', 2: 'pos' } }, tensors);
    expect(task.labels).toEqual(['neg', 'neutral', 'pos']);
    expect(task.problemType).toBe('single_label_classification');
    const { id2label: _, ...noLabels } = fx.config;
    expect(hfTaskOf({ ...noLabels, architectures: [fx.head] }, tensors).labels).toEqual(['LABEL_0', 'LABEL_1', 'LABEL_2']);
  });

  it('without architectures: QA, masked LM and pretraining are inferred, a classifier is refused by name', () => {
    expect(hfTaskOf(read('question_answering').fx.config, read('question_answering').tensors).architecture).toBe('AlbertForQuestionAnswering');
    expect(hfTaskOf(read('masked_lm').fx.config, read('masked_lm').tensors).architecture).toBe('AlbertForMaskedLM');
    const pre = readSafetensors(readBinaryFixture('hf-albert', 'tiny_shared.safetensors'));
    expect(hfTaskOf({}, pre).architecture).toBe('AlbertForPreTraining');
    const { fx, tensors } = read('token_classification');
    expect(() => hfTaskOf(fx.config, tensors)).toThrow(CheckpointError);
    expect(() => hfTaskOf(fx.config, tensors)).toThrow(/no architectures.*"architectures": \["AlbertFor\.\.\."\]/);
    expect(() => hfTaskOf({ architectures: ['BertForMaskedLM'] }, tensors)).toThrow(/architectures\[0\]="BertForMaskedLM"/);
    expect(() => hfTaskOf({ ...fx.config, architectures: [fx.head], id2label: { 9: 'x' } }, tensors)).toThrow(/id2label\["9"\]/);
  });
});
