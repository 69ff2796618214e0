// Models written the way a user would write one: only `compute` and `namedParameters`, no albert-ts base class.
import * as tf from '@tensorflow/tfjs-core';
import {
  type EmbeddingModule, type Objective, type PretrainingBatch, type SharingStrategy, createPretrainingModel, presetConfig,
} from '@albert-ts/core';
import { factorized } from '@albert-ts/embeddings';
import { createTaskModel, sequenceClassification } from '@albert-ts/objectives';
import type { BatchSource, TrainableModel } from '../../src/index.js';

/** A regression batch: `x` `[B, 3]`, `y` `[B]`. */
export interface XY {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
}

/** y = x·w + b with dropout on x during training; loss = mean squared error; metric `mae`. */
export class LinearRegression implements TrainableModel<XY> {
  readonly w = tf.variable(tf.zeros([3, 1]));
  readonly b = tf.variable(tf.zeros([1]));
  /** Multiplies the loss (a huge value makes it overflow to Infinity). */
  scale = 1;

  compute({ x, y }: XY, { training, dropoutSeed }: { training: boolean; dropoutSeed?: number }) {
    return tf.tidy(() => {
      const h = training ? tf.dropout(x, 0.2, undefined, dropoutSeed) : x;
      const pred = tf.reshape(tf.add(tf.matMul(h, this.w), this.b), [-1]); // [B, 1] -> [B]
      const err = tf.sub(pred, y);
      return {
        loss: tf.mul(tf.mean(tf.square(err)), this.scale) as tf.Scalar,
        metrics: { mae: tf.mean(tf.abs(err)) as tf.Scalar },
      };
    });
  }

  namedParameters(): Map<string, tf.Variable> {
    return new Map([['w', this.w], ['b', this.b]]);
  }

  dispose(): void {
    tf.dispose([this.w, this.b]);
  }
}

/** A batch source whose cursor is the index of the next batch. */
interface Source<B> extends BatchSource<B> {
  i: number;
  next(): B;
}

/** Deterministic data for y = x·[1, -2, 0.5] + 0.3: batch i is a pure function of i; the cursor is i. */
export function regressionBatches(batchSize = 8): Source<XY> {
  return {
    i: 0,
    next() {
      const i = this.i++;
      const x = Array.from({ length: batchSize * 3 }, (_, k) => Math.sin(17 * i + k * 0.7));
      const y = Array.from({ length: batchSize }, (_, r) => x[3 * r] - 2 * x[3 * r + 1] + 0.5 * x[3 * r + 2] + 0.3);
      return { x: tf.tensor2d(x, [batchSize, 3]), y: tf.tensor1d(y) };
    },
    state() { return this.i; },
    restore(s: unknown) { this.i = s as number; },
  };
}

/** A stub embedding (a bare `[V, H]` table): a model built from core alone, as a user could. */
const lookup: EmbeddingModule = {
  name: 'lookup',
  countParams: (c) => ({ embeddings: c.vocabSize * c.hiddenSize, projection: 0 }),
  build(c, params) {
    const table = params.create('embeddings.word_embeddings.weight', [c.vocabSize, c.hiddenSize], 'normal');
    return { wordEmbeddings: table, hasProjection: false, embed: (inputs) => tf.gather(table, inputs.inputIds) as tf.Tensor3D, project: (x) => x };
  },
};

/** A user-defined sharing: attention shared by layer pairs, FFN per layer. */
export const pairedAttention: SharingStrategy = {
  name: 'paired-attention',
  slots: (part, L) => (part === 'attention' ? L / 2 : L),
  slotOf: (part, layer) => (part === 'attention' ? layer >> 1 : layer),
};

/** A head: predict the first token's id from position 0 (cross-entropy over the vocabulary via the tied table). */
const firstToken: Objective = {
  name: 'first_token',
  countParams: () => 0,
  build: ({ wordEmbeddings }) => ({
    name: 'first_token',
    compute: (outputs, batch) => tf.tidy(() => {
      const [b, , h] = outputs.lastHiddenState.shape;
      const first = tf.reshape(tf.slice(outputs.lastHiddenState, [0, 0, 0], [b, 1, h]), [b, h]); // [B, 1, H] -> [B, H]
      const logits = tf.matMul(first, wordEmbeddings, false, true); // [B, V]
      const target = tf.oneHot(tf.reshape(tf.slice(batch.inputIds, [0, 1], [b, 1]), [b]), wordEmbeddings.shape[0]);
      return { loss: tf.losses.softmaxCrossEntropy(target, logits) as tf.Scalar, metrics: {} };
    }),
  }),
};

/** An ALBERT (core only) with a stub embedding, a user-defined sharing and a user-defined head, with dropout. */
export function tinyAlbert(seed = 1) {
  const config = presetConfig('albert-tiny', {
    vocabSize: 13, hiddenSize: 8, embeddingSize: 8, numAttentionHeads: 2, intermediateSize: 16, numHiddenLayers: 2,
    maxPositionEmbeddings: 8,
  });
  return createPretrainingModel(config, { embeddings: lookup, sharing: pairedAttention, objectives: [firstToken], seed, addPoolingLayer: false });
}

/** Token batches for {@link tinyAlbert}: batch i is a pure function of i. */
export function tokenBatches(): Source<PretrainingBatch> {
  return {
    i: 0,
    next() {
      const i = this.i++;
      const ids = Array.from({ length: 4 * 6 }, (_, k) => (7 * i + 3 * k + (k % 6 === 0 ? 0 : i)) % 13);
      const z = tf.zeros([4, 0], 'int32') as tf.Tensor2D;
      return {
        inputIds: tf.tensor2d(ids, [4, 6], 'int32'), tokenTypeIds: tf.zeros([4, 6], 'int32') as tf.Tensor2D,
        attentionMask: tf.ones([4, 6], 'int32') as tf.Tensor2D, mlmPositions: z, mlmIds: tf.clone(z),
        mlmWeights: tf.zeros([4, 0]) as tf.Tensor2D, sentenceLabel: tf.zeros([4], 'int32') as tf.Tensor1D,
      };
    },
    state() { return this.i; },
    restore(s: unknown) { this.i = s as number; },
  };
}

/**
 * A separable binary task for {@link tinyClassifier}: row r of batch i is `[CLS]` plus 7 tokens drawn from 4..11
 * (label 0) or 12..19 (label 1); batch i is a pure function of (seed, i).
 */
export function classificationBatches(count: number, seed = 1, rows = 8): PretrainingBatch[] {
  let s = seed;
  const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  return Array.from({ length: count }, () => {
    const labels = Array.from({ length: rows }, () => (rnd() < 0.5 ? 0 : 1));
    const ids = labels.map((y) => [2, ...Array.from({ length: 7 }, () => (y === 0 ? 4 : 12) + Math.floor(rnd() * 8))]);
    return {
      inputIds: tf.tensor2d(ids, undefined, 'int32'), tokenTypeIds: tf.zeros([rows, 8], 'int32') as tf.Tensor2D,
      attentionMask: tf.ones([rows, 8], 'int32') as tf.Tensor2D, mlmPositions: tf.zeros([rows, 0], 'int32') as tf.Tensor2D,
      mlmIds: tf.zeros([rows, 0], 'int32') as tf.Tensor2D, mlmWeights: tf.zeros([rows, 0]) as tf.Tensor2D,
      sentenceLabel: tf.tensor1d(labels, 'int32'),
    };
  });
}

/** HF `AlbertForSequenceClassification` (2 labels, no dropout) on a micro ALBERT, for {@link classificationBatches}. */
export function tinyClassifier(seed = 3) {
  const config = presetConfig('albert-tiny', {
    vocabSize: 20, hiddenSize: 16, embeddingSize: 8, numAttentionHeads: 2, intermediateSize: 32, numHiddenLayers: 2,
    maxPositionEmbeddings: 8, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0, classifierDropoutProb: 0,
  });
  return createTaskModel(config, sequenceClassification({ numLabels: 2 }), { embeddings: factorized(), seed });
}
