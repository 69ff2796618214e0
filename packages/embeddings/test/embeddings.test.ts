import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ConfigError, countParams, createApplyContext, ParameterStore, presetConfig } from '@albert-ts/core';
import { expectNoLeaks } from '@albert-ts/testing';
import { factorized, full } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const config = presetConfig('albert-tiny', { vocabSize: 10, embeddingSize: 4, hiddenSize: 8, numAttentionHeads: 2, maxPositionEmbeddings: 6 });

function build(module = factorized(), c = config) {
  const store = new ParameterStore(c.initializerRange, 5);
  return { store, layer: module.build(c, store) };
}

describe('factorized()', () => {
  it('creates HF-named tables at width E and an E→H projection', () => {
    const { store, layer } = build();
    const shapes = Object.fromEntries(store.infos().map((i) => [i.name, i.variable.shape]));
    expect(shapes).toEqual({
      'embeddings.word_embeddings.weight': [10, 4],
      'embeddings.position_embeddings.weight': [6, 4],
      'embeddings.token_type_embeddings.weight': [2, 4],
      'embeddings.LayerNorm.weight': [4],
      'embeddings.LayerNorm.bias': [4],
      'encoder.embedding_hidden_mapping_in.weight': [4, 8],
      'encoder.embedding_hidden_mapping_in.bias': [8],
    });
    expect(layer.hasProjection).toBe(true);
    expect(layer.wordEmbeddings).toBe(store.get('embeddings.word_embeddings.weight'));
    const n = factorized().countParams(config);
    expect(n.embeddings + n.projection).toBe(store.count());
    store.dispose();
  });

  it('embeds as LayerNorm(word + token type + position from 0), hand-computed', () => {
    const { store, layer } = build();
    const word = store.get('embeddings.word_embeddings.weight')!.arraySync() as number[][];
    const pos = store.get('embeddings.position_embeddings.weight')!.arraySync() as number[][];
    const type = store.get('embeddings.token_type_embeddings.weight')!.arraySync() as number[][];
    store.get('embeddings.LayerNorm.weight')!.assign(tf.tensor1d([1, 2, 0.5, 1]));
    store.get('embeddings.LayerNorm.bias')!.assign(tf.tensor1d([0.1, 0, 0, -0.2]));
    const ids = [[3, 7, 1], [2, 2, 0]];
    const types = [[0, 1, 1], [0, 0, 0]];
    const out = tf.tidy(() => layer.embed({
      inputIds: tf.tensor2d(ids, undefined, 'int32'), tokenTypeIds: tf.tensor2d(types, undefined, 'int32'),
    }, createApplyContext()).arraySync());
    const outNoTypes = tf.tidy(() => layer.embed({ inputIds: tf.tensor2d(ids, undefined, 'int32') }, createApplyContext()).arraySync());
    for (let b = 0; b < 2; b++) {
      for (let t = 0; t < 3; t++) {
        for (const [o, tt] of [[out, types[b][t]], [outNoTypes, 0]] as const) {
          const x = word[ids[b][t]].map((w, k) => w + type[tt][k] + pos[t][k]);
          const mean = x.reduce((a, v) => a + v, 0) / 4;
          const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / 4;
          const ref = x.map((v, k) => ((v - mean) / Math.sqrt(variance + 1e-12)) * [1, 2, 0.5, 1][k] + [0.1, 0, 0, -0.2][k]);
          ref.forEach((r, k) => expect(o[b][t][k]).toBeCloseTo(r, 5));
        }
      }
    }
    store.dispose();
  });

  it('projection auto skips the E→H mapping only when E = H', () => {
    const eq = presetConfig('bert-base', { vocabSize: 20, hiddenSize: 8, embeddingSize: 8, numAttentionHeads: 2, numHiddenLayers: 2, numHiddenGroups: 2, intermediateSize: 16 });
    const auto = build(factorized({ projection: 'auto' }), eq);
    expect(auto.layer.hasProjection).toBe(false);
    expect(auto.store.get('encoder.embedding_hidden_mapping_in.weight')).toBeUndefined();
    expect(factorized({ projection: 'auto' }).countParams(eq).projection).toBe(0);
    expect(factorized({ projection: 'auto' }).countParams(config).projection).toBe(4 * 8 + 8);
    expect(factorized({ projection: 'always' }).countParams(eq).projection).toBe(8 * 8 + 8);
    expect(countParams(eq, { embeddings: factorized({ projection: 'auto' }) }).total)
      .toBe(countParams(eq, { projection: 'auto' }).total);
    // Without a projection, project() passes the embeddings through unchanged.
    const same = tf.tidy(() => {
      const x = tf.randomNormal([1, 2, 8]) as tf.Tensor3D;
      return tf.max(tf.abs(tf.sub(auto.layer.project(x), x))).dataSync()[0];
    });
    expect(same).toBe(0);
    auto.store.dispose();
    expect(() => factorized({ projection: 'never' as 'auto' })).toThrow(ConfigError);
  });

  it('rejects inputs longer than max_position_embeddings', () => {
    const { store, layer } = build();
    const ids = tf.zeros([1, 7], 'int32') as tf.Tensor2D;
    expect(() => layer.embed({ inputIds: ids }, createApplyContext())).toThrow(/max_position_embeddings=6 is smaller than the input length 7/);
    ids.dispose();
    store.dispose();
  });

  it('applies dropout only in training, reproducibly from the seed, without leaks', async () => {
    const c = { ...config, hiddenDropoutProb: 0.5 };
    const { store, layer } = build(factorized(), c);
    const ids = tf.tensor2d([[1, 2, 3, 4, 5]], undefined, 'int32');
    const run = (training: boolean, seed: number) => tf.tidy(() =>
      Array.from(layer.embed({ inputIds: ids }, createApplyContext({ training, dropoutSeed: seed })).dataSync()));
    const evalOut = run(false, 0);
    const t1 = run(true, 1);
    expect(run(true, 1)).toEqual(t1);
    expect(t1).not.toEqual(run(true, 2));
    expect(t1.filter((v) => v === 0).length).toBeGreaterThan(0);
    t1.forEach((v, i) => { if (v !== 0) expect(v).toBeCloseTo(evalOut[i] * 2, 5); });
    expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.project(
        layer.embed({ inputIds: ids }, createApplyContext({ training: true }))) as tf.Tensor) as tf.Scalar);
      value.dispose();
      tf.dispose(Object.values(grads));
    });
    ids.dispose();
    store.dispose();
  });
});

describe('full()', () => {
  it('requires E = H and has no projection by default', () => {
    expect(() => full().countParams(config)).toThrow(/embedding_size=4 must equal hidden_size=8/);
    const eq = { ...config, embeddingSize: 8 };
    const { store, layer } = build(full(), eq);
    expect(layer.hasProjection).toBe(false);
    expect(store.infos().map((i) => i.variable.shape[1] ?? i.variable.shape[0])).toEqual([8, 8, 8, 8, 8]);
    store.dispose();
    expect(full({ projection: 'always' }).countParams(eq).projection).toBe(72);
  });
});
