// Parity with HuggingFace transformers v4.36.2 on every ../shared/fixtures/hf-albert fixture, on cpu and wasm:
// forward outputs, MLM/SOP logits, losses and gradients (expected values come from the fixtures).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { type AlbertForPreTraining, modelFromHf, readSafetensors, type PretrainingBatch } from '@albert-ts/core';
import { factorized } from '@albert-ts/embeddings';
import {
  HF_ALBERT_FIXTURES, type HfAlbertFixture, expectNoLeaks, hfFixtureBatchArrays, maxAbsDiff, readHfAlbertFixture, useTestBackend,
} from '@albert-ts/testing';
import { mlm, type MlmHead, sop, type SentenceHead } from '../src/index.js';

const TOL = 1e-4;

function batchOf(f: HfAlbertFixture): PretrainingBatch {
  const a = hfFixtureBatchArrays(f);
  return {
    inputIds: tf.tensor2d(a.inputIds, undefined, 'int32'),
    tokenTypeIds: tf.tensor2d(a.tokenTypeIds, undefined, 'int32'),
    attentionMask: tf.tensor2d(a.attentionMask, undefined, 'int32'),
    mlmPositions: tf.tensor2d(a.mlmPositions, undefined, 'int32'),
    mlmIds: tf.tensor2d(a.mlmIds, undefined, 'int32'),
    mlmWeights: tf.tensor2d(a.mlmWeights, undefined, 'float32'),
    sentenceLabel: tf.tensor1d(a.sentenceLabel, 'int32'),
  };
}

function disposeBatch(b: PretrainingBatch): void {
  tf.dispose(Object.values(b) as tf.Tensor[]);
}

/** Canonical (our) name of a HF parameter name. */
const canonical = (hfName: string) => (hfName.startsWith('albert.') ? hfName.slice(7) : hfName);

it('finds the hf-albert fixtures', () => {
  expect(HF_ALBERT_FIXTURES).toEqual(expect.arrayContaining(['tiny_groups', 'tiny_inner2', 'tiny_shared']));
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`HF parity on ${backend}`, () => {
    beforeAll(async () => {
      await useTestBackend(backend);
    });

    for (const name of HF_ALBERT_FIXTURES) {
      describe(name, () => {
        let f: HfAlbertFixture;
        let model: AlbertForPreTraining;
        let batch: PretrainingBatch;

        beforeAll(() => {
          f = readHfAlbertFixture(name);
          model = modelFromHf(f.config, readSafetensors(f.safetensors), {
            embeddings: factorized(), objectives: [mlm(), sop()],
          });
          batch = batchOf(f);
        });
        afterAll(() => {
          model.dispose();
          disposeBatch(batch);
        });

        it('counts parameters like HF', () => {
          expect(model.countParameters()).toBe(f.param_count);
          expect(model.albert.countParameters()).toBe(f.param_count_albert_model);
        });

        it('reproduces last_hidden_state, pooler_output, hidden_states, prediction and SOP logits', () => {
          expectNoLeaks(() => {
            tf.tidy(() => {
              const out = model.albert.apply(
                { inputIds: batch.inputIds, tokenTypeIds: batch.tokenTypeIds, attentionMask: batch.attentionMask },
                { outputHiddenStates: true },
              );
              expect(maxAbsDiff(out.lastHiddenState, f.outputs.last_hidden_state)).toBeLessThan(TOL);
              expect(maxAbsDiff(out.poolerOutput!, f.outputs.pooler_output)).toBeLessThan(TOL);
              expect(out.hiddenStates!.length).toBe(f.outputs.hidden_states.length);
              out.hiddenStates!.forEach((h, i) => expect(maxAbsDiff(h, f.outputs.hidden_states[i])).toBeLessThan(TOL));
              const mlmHead = model.head<MlmHead>('mlm')!;
              expect(maxAbsDiff(mlmHead.logits(out.lastHiddenState), f.outputs.prediction_logits)).toBeLessThan(TOL);
              const sopHead = model.head<SentenceHead>('sop')!;
              expect(maxAbsDiff(sopHead.logits(out.poolerOutput!), f.outputs.sop_logits)).toBeLessThan(TOL);
            });
          });
        });

        it('reproduces HF\'s attention probabilities (output_attentions) and leaves the outputs unchanged', () => {
          expectNoLeaks(() => {
            tf.tidy(() => {
              const inputs = { inputIds: batch.inputIds, tokenTypeIds: batch.tokenTypeIds, attentionMask: batch.attentionMask };
              const out = model.albert.apply(inputs, { outputAttentions: true });
              expect(out.attentions!.length).toBe(f.debug.attentions.length);
              out.attentions!.forEach((a, i) => expect(maxAbsDiff(a, f.debug.attentions[i]), `attentions[${i}]`).toBeLessThan(TOL));
              expect(maxAbsDiff(out.lastHiddenState, f.outputs.last_hidden_state)).toBeLessThan(TOL);
              expect(model.albert.apply(inputs).attentions).toBeUndefined();
            });
          });
        });

        it('reproduces loss, mlm_loss, sop_loss and the saved gradients', () => {
          expectNoLeaks(() => {
            const params = model.namedParameters();
            const byVarName = new Map([...params].map(([k, v]) => [v.name, k]));
            let losses: Record<string, number> = {};
            const { value, grads } = tf.variableGrads(() => {
              const r = model.compute(batch);
              losses = Object.fromEntries(Object.entries(r.losses).map(([k, v]) => [k, v.dataSync()[0]]));
              return r.loss;
            }, [...params.values()]);
            try {
              expect(Math.abs(value.dataSync()[0] - f.outputs.loss)).toBeLessThan(TOL);
              expect(Math.abs(losses['mlm'] - f.outputs.mlm_loss)).toBeLessThan(TOL);
              expect(Math.abs(losses['sop'] - f.outputs.sop_loss)).toBeLessThan(TOL);
              const gradOf = (hfName: string) => {
                const key = canonical(hfName);
                const v = params.get(key);
                if (!v) throw new Error(`no parameter ${key}`);
                return grads[v.name];
              };
              for (const [hfName, g] of Object.entries(f.gradients)) {
                const ours = gradOf(hfName);
                const linear = hfName.endsWith('.weight') && !hfName.includes('embeddings.');
                const torchLayout = linear ? tf.transpose(ours) : ours;
                expect(maxAbsDiff(torchLayout, g.values), hfName).toBeLessThan(TOL);
                if (linear) torchLayout.dispose();
              }
              // Every unique parameter's gradient norm (named_parameters() names: no tied decoder aliases).
              expect(Object.keys(f.grad_l2_norms).length).toBe(params.size);
              for (const [hfName, norm] of Object.entries(f.grad_l2_norms)) {
                const n = tf.tidy(() => tf.norm(gradOf(hfName)).dataSync()[0]);
                expect(Math.abs(n - norm), hfName).toBeLessThan(TOL * Math.max(1, norm));
              }
              expect(byVarName.size).toBe(params.size);
            } finally {
              value.dispose();
              tf.dispose(Object.values(grads));
            }
          });
        });
      });
    }
  });
}
