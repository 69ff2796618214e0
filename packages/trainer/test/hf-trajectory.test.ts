// Multi-step parity with HuggingFace: every trajectory in ALBERT_HF_TRAIN_FIXTURES (default
// ../shared/fixtures/hf-train; format in that directory's README) is loaded (NAME.init.safetensors), trained on the
// same batches with the same optimizer, schedule and clipping through `train`, and every step's loss (and per-head
// losses), learning rate and pre-clip global gradient norm, and every final weight (NAME.final.safetensors) must
// agree within 1e-4, on cpu and on wasm.
//
// Supported, so that other trajectories in the same format run unchanged: AlbertForPreTraining (MLM + SOP) and
// AlbertForSequenceClassification (any num_labels), optimizer `lamb` (google-research) and `adamw` with
// `bias_correction` false (google-research `AdamWeightDecayOptimizer`) or true (torch.optim.AdamW), any β/ε/weight
// decay/exclusion list, polynomial schedules with warmup, any clip norm, any batch count. Anything else fails with
// a message naming the unsupported field rather than being skipped.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlbertForPreTraining, type HfTensor, type PretrainingBatch, modelFromHf, readSafetensors, toHfCheckpoint,
} from '@albert-ts/core';
import { factorized } from '@albert-ts/embeddings';
import { mlm, mlmTargetsFromLabels, sequenceClassification, sop, taskModelFromHf } from '@albert-ts/objectives';
import { type TestBackend, fixturePath, useTestBackend } from '@albert-ts/testing';
import { AdamW, AdamWeightDecay, Lamb, type Optimizer, type StepInfo, train } from '../src/index.js';

const TOL = 1e-4;
const DIR = process.env['ALBERT_HF_TRAIN_FIXTURES'] ?? fixturePath('hf-train');

interface Trajectory {
  name: string;
  model: 'AlbertForPreTraining' | 'AlbertForSequenceClassification';
  num_labels?: number;
  config: Record<string, unknown>;
  optimizer: {
    kind: string; beta1: number; beta2: number; epsilon: number; weight_decay_rate: number;
    exclude_from_weight_decay: string[] | null; exclude_from_layer_adaptation?: string[] | null; bias_correction: boolean;
  };
  schedule: { learning_rate: number; total_steps: number; warmup_steps: number; power: number; end_learning_rate: number };
  clip_global_norm: number;
  trainable_parameters: string[];
  batches: Record<string, number[] | number[][]>[];
  steps: { step: number; lr: number; loss: number; mlm_loss?: number; sop_loss?: number; global_norm: number }[];
}

/** Every NAME with NAME.json, NAME.init.safetensors and NAME.final.safetensors in `DIR`. */
const NAMES = fs.existsSync(DIR)
  ? fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5))
    .filter((n) => ['init', 'final'].every((k) => fs.existsSync(path.join(DIR, `${n}.${k}.safetensors`)))).sort()
  : [];

const read = (name: string) => ({
  fx: JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as Trajectory,
  init: readSafetensors(new Uint8Array(fs.readFileSync(path.join(DIR, `${name}.init.safetensors`)))),
  final: readSafetensors(new Uint8Array(fs.readFileSync(path.join(DIR, `${name}.final.safetensors`)))),
});

function unsupported(fx: Trajectory, field: string, value: unknown): never {
  throw new Error(`${fx.name}: ${field} = ${JSON.stringify(value)} is not supported by this test`);
}

/** The trajectory's model with its initial weights: HF names load as they are (tied duplicates included). */
function modelOf(fx: Trajectory, init: ReadonlyMap<string, HfTensor>): AlbertForPreTraining {
  if (fx.model === 'AlbertForPreTraining') return modelFromHf(fx.config, init, { embeddings: factorized(), objectives: [mlm(), sop()] });
  if (fx.model === 'AlbertForSequenceClassification') {
    return taskModelFromHf(fx.config, init, sequenceClassification({ numLabels: fx.num_labels ?? 2 }), { embeddings: factorized() });
  }
  return unsupported(fx, 'model', fx.model);
}

/** The optimizer the trajectory names; exclusions are `re.search` patterns, i.e. unanchored RegExps. */
function optimizerOf(fx: Trajectory): Optimizer {
  const o = fx.optimizer;
  const excluded = (o.exclude_from_weight_decay ?? []).map((p) => new RegExp(p));
  const options = { beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, weightDecayRate: o.weight_decay_rate, excludeFromWeightDecay: excluded };
  if (o.kind === 'lamb' && !o.bias_correction) {
    // Our LAMB skips layer adaptation for the weight-decay exclusions (the reference's default when it is None).
    const adaptation = o.exclude_from_layer_adaptation ?? o.exclude_from_weight_decay;
    if (JSON.stringify(adaptation) !== JSON.stringify(o.exclude_from_weight_decay)) {
      unsupported(fx, 'optimizer.exclude_from_layer_adaptation', adaptation);
    }
    return new Lamb(options);
  }
  if (o.kind === 'adamw') return o.bias_correction ? new AdamW(options) : new AdamWeightDecay(options);
  return unsupported(fx, 'optimizer', { kind: o.kind, bias_correction: o.bias_correction });
}

/** One fixture batch in our batch form: HF MLM labels (-100 = not scored) as sparse targets, class labels as sentenceLabel. */
function batchOf(fx: Trajectory, b: Trajectory['batches'][number]): PretrainingBatch {
  return tf.tidy(() => {
    const ints2 = (k: string) => tf.tensor2d(b[k] as number[][], undefined, 'int32');
    const rows = (b['input_ids'] as number[][]).length;
    const pretraining = fx.model === 'AlbertForPreTraining';
    const t = pretraining ? mlmTargetsFromLabels(b['labels'] as number[][]) : { positions: [], ids: [], weights: [] };
    return {
      inputIds: ints2('input_ids'), tokenTypeIds: ints2('token_type_ids'), attentionMask: ints2('attention_mask'),
      mlmPositions: pretraining ? tf.tensor2d(t.positions, undefined, 'int32') : tf.zeros([rows, 0], 'int32') as tf.Tensor2D,
      mlmIds: pretraining ? tf.tensor2d(t.ids, undefined, 'int32') : tf.zeros([rows, 0], 'int32') as tf.Tensor2D,
      mlmWeights: pretraining ? tf.tensor2d(t.weights) : tf.zeros([rows, 0]) as tf.Tensor2D,
      sentenceLabel: tf.tensor1d(b[pretraining ? 'sentence_order_label' : 'labels'] as number[], 'int32'),
    };
  });
}

/** HF name of one of our parameters: the backbone's carry the `albert.` prefix, the heads' do not. */
const hfName = (model: AlbertForPreTraining, name: string) => (model.albert.namedParameters().has(name) ? `albert.${name}` : name);

function trajectory(name: string, backend: TestBackend): void {
  describe(`${name} (${backend})`, () => {
    let fx: Trajectory;
    let model: AlbertForPreTraining;
    let optimizer: Optimizer;
    let final: Map<string, HfTensor>;
    const seen: StepInfo[] = [];

    beforeAll(async () => {
      await useTestBackend(backend);
      const r = read(name);
      fx = r.fx;
      final = r.final;
      model = modelOf(fx, r.init);
      optimizer = optimizerOf(fx);
      const s = fx.schedule;
      await train(model, fx.batches.map((b) => batchOf(fx, b)), {
        optimizer, clipNorm: fx.clip_global_norm, steps: fx.batches.length,
        schedule: { learningRate: s.learning_rate, totalSteps: s.total_steps, warmupSteps: s.warmup_steps, power: s.power, endLearningRate: s.end_learning_rate },
        onStep: (info) => { seen.push(info); },
      });
    }, 120_000);
    afterAll(() => {
      model?.dispose();
      optimizer?.dispose();
    });

    it('trains exactly the parameters torch trains, with the same weight-decay exclusions', () => {
      const names = [...model.namedParameters().keys()];
      expect(names.map((n) => hfName(model, n)).sort()).toEqual([...fx.trainable_parameters].sort());
      // the optimizer matches its exclusions against our names; torch's against the HF names
      const patterns = (fx.optimizer.exclude_from_weight_decay ?? []).map((p) => new RegExp(p));
      const excluded = (n: string) => patterns.some((r) => r.test(n));
      for (const n of names) expect(excluded(n), n).toBe(excluded(hfName(model, n)));
    });

    it('every step: learning rate, loss (and per-head losses), global gradient norm before clipping', () => {
      expect(seen.length).toBe(fx.steps.length);
      fx.steps.forEach((want, s) => {
        const got = seen[s];
        expect(got.step).toBe(want.step + 1);
        expect(Math.abs(got.lr - want.lr), `lr at step ${s}`).toBeLessThan(1e-9 * Math.max(1, want.lr));
        expect(Math.abs(got.loss - want.loss), `loss at step ${s}`).toBeLessThan(TOL);
        for (const head of ['mlm', 'sop'] as const) {
          const w = want[`${head}_loss`];
          if (w !== undefined) expect(Math.abs(got.metrics[`${head}_loss`] - w), `${head}_loss at step ${s}`).toBeLessThan(TOL);
        }
        expect(Math.abs(got.gradNorm - want.global_norm), `global norm at step ${s}`).toBeLessThan(TOL * Math.max(1, want.global_norm));
      });
    });

    it('every final weight (HF names and layouts, tied duplicates included)', () => {
      const ours = toHfCheckpoint(model).tensors;
      expect([...ours.keys()].sort()).toEqual([...final.keys()].sort());
      let worst = { name: '', diff: 0 };
      for (const [n, want] of final) {
        const got = ours.get(n)!;
        expect(got.shape, n).toEqual(want.shape);
        for (let i = 0; i < want.data.length; i++) {
          const d = Math.abs(got.data[i] - want.data[i]);
          if (!(d <= worst.diff)) worst = { name: `${n}[${i}]`, diff: d };
        }
      }
      expect(worst.diff, `largest difference at ${worst.name}`).toBeLessThan(TOL);
    });
  });
}

describe('HF training trajectories', () => {
  it(`finds trajectories in ${DIR}`, () => {
    expect(NAMES.length).toBeGreaterThan(0);
  });
  for (const backend of ['cpu', 'wasm'] as const) for (const name of NAMES) trajectory(name, backend);
});
