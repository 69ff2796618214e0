import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError, countParams, createPretrainingModel, type Objective, type ObjectiveHead, type PretrainingBatch,
  presetConfig, modelFromHf, readSafetensors, Linear,
} from '@albert-ts/core';
import { factorized, full } from '@albert-ts/embeddings';
import { allShared, grouped, notShared, sharedAttention, sharedFfn } from '@albert-ts/sharing';
import { expectNoLeaks, maxAbsDiff, readHfAlbertFixture, useTestBackend } from '@albert-ts/testing';
import { crossEntropy, mlm, mlmTargetsFromLabels, type MlmHead, nsp, sop, type SentenceHead } from '../src/index.js';

beforeAll(async () => {
  await useTestBackend('cpu');
});

const config = presetConfig('albert-tiny', {
  vocabSize: 60, embeddingSize: 16, hiddenSize: 32, numAttentionHeads: 4, intermediateSize: 48, numHiddenLayers: 4,
  maxPositionEmbeddings: 16, hiddenDropoutProb: 0.1, attentionProbsDropoutProb: 0.1,
});

function randomBatch(b = 2, t = 10, p = 3): PretrainingBatch {
  return tf.tidy(() => ({
    inputIds: tf.randomUniform([b, t], 0, config.vocabSize, 'int32', 1) as tf.Tensor2D,
    tokenTypeIds: tf.concat([tf.zeros([b, t / 2], 'int32'), tf.ones([b, t / 2], 'int32')], 1) as tf.Tensor2D,
    attentionMask: tf.tensor2d(Array.from({ length: b }, (_, i) => Array.from({ length: t }, (_, j) => (j < t - i ? 1 : 0))), undefined, 'int32'),
    mlmPositions: tf.randomUniform([b, p], 0, t - 2, 'int32', 2) as tf.Tensor2D,
    mlmIds: tf.randomUniform([b, p], 0, config.vocabSize, 'int32', 3) as tf.Tensor2D,
    mlmWeights: tf.tensor2d(Array.from({ length: b }, () => [1, 1, 0])) as tf.Tensor2D,
    sentenceLabel: tf.tensor1d(Array.from({ length: b }, (_, i) => i % 2), 'int32'),
  }));
}

describe('parameter counts: analytic equals live', () => {
  const strategies = [undefined, allShared(), sharedAttention(), sharedFfn(), notShared(), grouped(2, 2)];
  for (const sharing of strategies) {
    for (const projection of ['auto', 'always'] as const) {
      it(`${sharing?.name ?? 'config'} / projection ${projection}`, () => {
        const c = { ...config, embeddingSize: projection === 'auto' ? 32 : 16 };
        const embeddings = factorized({ projection });
        const objectives = [mlm(), sop()];
        const m = createPretrainingModel(c, { embeddings, sharing, objectives });
        const counts = countParams(c, { sharing, projection, head: 'pretraining' });
        expect(m.countParameters()).toBe(counts.total);
        expect(countParams(c, { sharing, embeddings, objectives }).total).toBe(counts.total);
        expect(m.albert.countParameters()).toBe(countParams(c, { sharing, projection }).total);
        expect(m.headStore.count()).toBe(counts.heads);
        m.dispose();
      });
    }
  }
});

describe('AlbertForPreTraining', () => {
  it('MLM logits at masked positions equal the full logits there, and the sparse loss equals HF loss', () => {
    const f = readHfAlbertFixture('tiny_shared');
    const model = modelFromHf(f.config, readSafetensors(f.safetensors), { embeddings: factorized(), objectives: [mlm(), sop()] });
    const t = mlmTargetsFromLabels(f.labels.labels, 5); // padded to 5 targets per row with weight 0
    tf.tidy(() => {
      const batch: PretrainingBatch = {
        inputIds: tf.tensor2d(f.inputs.input_ids, undefined, 'int32'),
        tokenTypeIds: tf.tensor2d(f.inputs.token_type_ids, undefined, 'int32'),
        attentionMask: tf.tensor2d(f.inputs.attention_mask, undefined, 'int32'),
        mlmPositions: tf.tensor2d(t.positions, undefined, 'int32'),
        mlmIds: tf.tensor2d(t.ids, undefined, 'int32'),
        mlmWeights: tf.tensor2d(t.weights),
        sentenceLabel: tf.tensor1d(f.labels.sentence_order_label, 'int32'),
      };
      const r = model.compute(batch);
      expect(Math.abs(r.losses['mlm'].dataSync()[0] - f.outputs.mlm_loss)).toBeLessThan(1e-4);
      expect(Math.abs(r.loss.dataSync()[0] - f.outputs.loss)).toBeLessThan(1e-4);
      const h = model.albert.apply(batch).lastHiddenState;
      const head = model.head<MlmHead>('mlm')!;
      const full3 = head.logits(h).arraySync();
      const masked = head.maskedLogits(h, batch.mlmPositions);
      const expected = t.positions.map((row, b) => row.map((p) => full3[b][p]));
      expect(maxAbsDiff(masked, expected)).toBeLessThan(1e-5);
      const acc = r.metrics['mlm_accuracy'].dataSync()[0];
      expect(acc).toBeGreaterThanOrEqual(0);
      expect(acc).toBeLessThanOrEqual(1);
    });
    model.dispose();
  });

  it('nsp and sop share the head type but differ in name', () => {
    const m = createPretrainingModel(config, { embeddings: factorized(), objectives: [mlm(), nsp()] });
    expect(m.head<SentenceHead>('nsp')).toBeDefined();
    expect(m.head('sop')).toBeUndefined();
    expect([...m.namedParameters().keys()]).toContain('sop_classifier.classifier.weight');
    const batch = randomBatch();
    const r = m.compute(batch);
    expect(Object.keys(r.losses)).toEqual(['mlm', 'nsp']);
    expect(Object.keys(r.metrics).sort()).toEqual(['mlm_accuracy', 'nsp_accuracy']);
    tf.dispose([r.loss, ...Object.values(r.losses), ...Object.values(r.metrics)]);
    tf.dispose(Object.values(batch) as tf.Tensor[]);
    m.dispose();
    expect(() => createPretrainingModel(config, { embeddings: factorized(), objectives: [sop(), sop()] })).toThrow(ConfigError);
  });

  it('a user-defined objective plugs in through the Objective interface', () => {
    // Token-type prediction from the pooled output: a 2-way classifier, loss = CE vs the type of the last token.
    class TypeHead implements ObjectiveHead {
      readonly name = 'type';
      readonly fc: Linear;
      constructor(ctx: Parameters<Objective['build']>[0]) { this.fc = new Linear(ctx.params, 'type_head', ctx.config.hiddenSize, 2); }
      compute(out: { poolerOutput?: tf.Tensor2D }, batch: PretrainingBatch) {
        const labels = tf.reshape(tf.slice(batch.tokenTypeIds, [0, batch.tokenTypeIds.shape[1] - 1], [-1, 1]), [-1]) as tf.Tensor1D;
        return { loss: crossEntropy(this.fc.apply(out.poolerOutput!), labels), metrics: {} };
      }
    }
    const typeObjective: Objective<TypeHead> = { name: 'type', countParams: (c) => 2 * c.hiddenSize + 2, build: (ctx) => new TypeHead(ctx) };
    const m = createPretrainingModel(config, { embeddings: factorized(), objectives: [mlm(), typeObjective] });
    expect(m.countParameters()).toBe(countParams(config, { objectives: [mlm(), typeObjective] }).total);
    const batch = randomBatch();
    const loss = tf.tidy(() => m.compute(batch).losses['type'].dataSync()[0]);
    expect(loss).toBeGreaterThan(0);
    tf.dispose(Object.values(batch) as tf.Tensor[]);
    m.dispose();
  });

  it('dropout is active only in training and reproducible from the seed', () => {
    const m = createPretrainingModel(config, { embeddings: factorized(), objectives: [mlm(), sop()], seed: 3 });
    const batch = randomBatch();
    const loss = (training: boolean, seed = 0) => tf.tidy(() => m.compute(batch, { training, dropoutSeed: seed }).loss.dataSync()[0]);
    expect(loss(false, 1)).toBe(loss(false, 2));
    expect(loss(true, 1)).toBe(loss(true, 1));
    expect(loss(true, 1)).not.toBe(loss(true, 2));
    expect(loss(true, 1)).not.toBe(loss(false));
    tf.dispose(Object.values(batch) as tf.Tensor[]);
    m.dispose();
  });

  it('the same seed gives the same initial weights', () => {
    const a = createPretrainingModel(config, { embeddings: factorized(), objectives: [mlm(), sop()], seed: 11 });
    const b = createPretrainingModel(config, { embeddings: factorized(), objectives: [mlm(), sop()], seed: 11 });
    for (const [name, v] of a.namedParameters()) {
      expect(Array.from(v.dataSync()), name).toEqual(Array.from(b.namedParameters().get(name)!.dataSync()));
    }
    a.dispose();
    b.dispose();
  });

  it.each([
    ['factorized / all-shared', factorized(), allShared(), config],
    ['full / not-shared', full(), notShared(), { ...config, embeddingSize: config.hiddenSize }],
  ] as const)('forward and forward+backward leave no tensors (%s)', (_n, embeddings, sharing, cfg) => {
    const m = createPretrainingModel(cfg, { embeddings, sharing, objectives: [mlm(), sop()] });
    const batch = randomBatch();
    const params = [...m.namedParameters().values()];
    expectNoLeaks(() => {
      const out = m.albert.apply(batch, { outputHiddenStates: true, training: true });
      tf.dispose([out.lastHiddenState, out.poolerOutput!, ...out.hiddenStates!]);
    });
    expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => m.compute(batch, { training: true, dropoutSeed: 4 }).loss, params);
      expect(Object.keys(grads)).toHaveLength(params.length);
      value.dispose();
      tf.dispose(Object.values(grads));
    });
    tf.dispose(Object.values(batch) as tf.Tensor[]);
    m.dispose();
    expectNoLeaks(() => m.dispose());
  });

  it('builds without a pooler (HF add_pooling_layer=False); a head that reads the pooled output refuses', () => {
    expectNoLeaks(() => {
      expect(() => createPretrainingModel(config, { embeddings: factorized(), objectives: [mlm(), sop({ name: 'order' })], addPoolingLayer: false }))
        .toThrow("config: add_pooling_layer=false but head 'order' reads the pooled output");
    });
    const m = createPretrainingModel(config, { embeddings: factorized(), objectives: [mlm()], addPoolingLayer: false });
    expect(m.albert.pooler).toBeUndefined();
    expect(m.albert.countParameters()).toBe(countParams(config, { addPoolingLayer: false }).total);
    const batch = randomBatch();
    tf.tidy(() => { expect(m.albert.apply(batch).poolerOutput).toBeUndefined(); });
    expect(() => m.compute(batch, { heads: ['sop'] })).toThrow("config: heads=\"sop\" is not a head of this model (mlm)");
    tf.dispose(Object.values(batch) as tf.Tensor[]);
    m.dispose();
  });

  it('disposing a model releases every variable', () => {
    const build = () => createPretrainingModel(config, { embeddings: factorized(), objectives: [mlm(), sop()] });
    const probe = build();
    const n = probe.namedParameters().size; // one tensor per variable, nothing else
    probe.dispose();
    const m = expectNoLeaks(build, { keeps: n });
    expectNoLeaks(() => m.dispose(), { keeps: -n });
  });
});
