// The plug-in boundary: core's encoder and model work with any EmbeddingModule, SharingStrategy and Objective that
// honour the interfaces. Here all three are stubs written in the test (core has no dependency on the packages
// that implement them), and the model is checked against a hand composition of its parts.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { expectNoLeaks } from '@albert-ts/testing';
import {
  type EmbeddingModule, type Objective, type PretrainingBatch, type SharingStrategy, additiveMask, countParams,
  createAlbert, createApplyContext, createPretrainingModel, presetConfig,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const config = presetConfig('albert-tiny', {
  vocabSize: 11, hiddenSize: 8, embeddingSize: 8, numAttentionHeads: 2, intermediateSize: 16, numHiddenLayers: 4,
  maxPositionEmbeddings: 8, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0,
});

/** A stub embedding: a bare `[V, H]` lookup table (no positions, no LayerNorm, no projection). */
function lookupTable(seen: boolean[]): EmbeddingModule {
  return {
    name: 'lookup',
    countParams: (c) => ({ embeddings: c.vocabSize * c.hiddenSize, projection: 0 }),
    build(c, params) {
      const table = params.create('embeddings.word_embeddings.weight', [c.vocabSize, c.hiddenSize], 'normal');
      return {
        wordEmbeddings: table,
        hasProjection: false,
        embed(inputs, ctx) {
          seen.push(ctx.training);
          return tf.gather(table, inputs.inputIds) as tf.Tensor3D; // [B, T] -> [B, T, H]
        },
        project: (x) => x,
      };
    },
  };
}

/** A user-defined sharing: layers 2k and 2k+1 share everything. */
const pairs: SharingStrategy = { name: 'pairs', slots: (_part, L) => L / 2, slotOf: (_part, layer) => layer >> 1 };

/** A stub head: the mean square of the last hidden state (no parameters, no pooler). */
const meanSquare: Objective = {
  name: 'mean_square',
  countParams: () => 0,
  build: () => ({
    name: 'mean_square',
    compute: (outputs) => ({ loss: tf.mean(tf.square(outputs.lastHiddenState)) as tf.Scalar, metrics: {} }),
  }),
};

describe('the plug-in boundary of core (stub embedding, sharing and head)', () => {
  it('builds and counts a model from stubs: the stub table plus two encoder slots', () => {
    const model = createAlbert(config, { embeddings: lookupTable([]), sharing: pairs, addPoolingLayer: false });
    try {
      const names = [...model.namedParameters().keys()];
      expect(names.filter((n) => n.startsWith('embeddings.'))).toEqual(['embeddings.word_embeddings.weight']);
      expect(new Set(names.map((n) => /albert_layer_groups\.(\d+)/.exec(n)?.[1]).filter(Boolean))).toEqual(new Set(['0', '1']));
      expect(model.countParameters()).toBe(countParams(config, { embeddings: lookupTable([]), sharing: pairs, addPoolingLayer: false }).total);
    } finally {
      model.dispose();
    }
  });

  it('the model is the encoder applied to the stub embedding, and gradients reach the stub table', () => {
    const seen: boolean[] = [];
    const model = createPretrainingModel(config, {
      embeddings: lookupTable(seen), sharing: pairs, addPoolingLayer: false, objectives: [meanSquare], seed: 3,
    });
    const ids = tf.tensor2d([[1, 4, 4, 2], [3, 5, 0, 0]], undefined, 'int32');
    const mask = tf.tensor2d([[1, 1, 1, 1], [1, 1, 0, 0]], undefined, 'int32');
    const batch = { inputIds: ids, attentionMask: mask } as unknown as PretrainingBatch;
    try {
      expectNoLeaks(() => tf.tidy(() => {
        const out = model.albert.apply({ inputIds: ids, attentionMask: mask });
        const table = model.albert.wordEmbeddings;
        const layers = model.albert.encoder.apply(tf.gather(table, ids) as tf.Tensor3D, additiveMask(mask), createApplyContext());
        expect(Array.from(out.lastHiddenState.dataSync())).toEqual(Array.from(layers[3].dataSync()));
      }));
      expect(seen).toEqual([false]);
      const used = new Set([1, 4, 2, 3, 5, 0]);
      expectNoLeaks(() => {
        const { value, grads } = tf.variableGrads(() => model.compute(batch, { training: true }).loss,
          [...model.namedParameters().values()]);
        const g = grads[model.albert.wordEmbeddings.name];
        const rowNorms = tf.tidy(() => Array.from(tf.norm(g, 'euclidean', 1).dataSync()));
        rowNorms.forEach((n, row) => expect(n > 0, `row ${row}`).toBe(used.has(row)));
        expect(Object.keys(grads)).toHaveLength(model.namedParameters().size);
        tf.dispose([value, ...Object.values(grads)]);
      });
      expect(seen).toEqual([false, true]);
    } finally {
      tf.dispose([ids, mask]);
      model.dispose();
    }
  });
});
