import * as tf from '@tensorflow/tfjs-core';
import {
  type AlbertConfig, type AlbertForPreTraining, type PretrainingBatch, createPretrainingModel, presetConfig,
} from '@albert-ts/core';
import { factorized } from '@albert-ts/embeddings';
import { mlm, sop } from '@albert-ts/objectives';
import { type Optimizer, createOptimizer, trainStep } from '@albert-ts/trainer';
import type { BenchConfig } from './configs.js';

/** The product's model, optimizer and fixed inputs for one benchmark configuration. */
export interface AlbertBench {
  /** `AlbertForPreTraining` with factorized embeddings, MLM and SOP heads (what `albert pretrain --objective sop` builds). */
  readonly model: AlbertForPreTraining;
  readonly params: Map<string, tf.Variable>;
  readonly optimizer: Optimizer;
  /** One batch per micro-batch. */
  readonly batches: PretrainingBatch[];
}

/** The ALBERT config of a benchmark configuration (HF defaults: gelu_new, no dropout, one shared group). */
export function albertConfigOf(c: BenchConfig): AlbertConfig {
  return presetConfig('albert-base', {
    hiddenSize: c.hidden, embeddingSize: c.embedding, vocabSize: c.vocab, numHiddenLayers: c.layers,
    numAttentionHeads: c.heads, intermediateSize: c.intermediate, maxPositionEmbeddings: Math.max(512, c.seqLen),
  });
}

/** mulberry32: a small deterministic integer stream for the fixed inputs. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/**
 * Inputs drawn like torch_albert_step.py: token ids in [5, V), segment B from T/2 on, no padding, `masked` distinct
 * positions in [1, T-2] per row (all weight 1), random target ids and sentence-order labels.
 */
export function albertBatch(c: BenchConfig, rows: number, seed: number): PretrainingBatch {
  const r = rng(seed);
  const T = c.seqLen;
  const M = c.masked;
  const ids = new Int32Array(rows * T).map(() => 5 + r(c.vocab - 5));
  const types = new Int32Array(rows * T).map((_, i) => (i % T >= T / 2 ? 1 : 0));
  const positions = new Int32Array(rows * M);
  for (let b = 0; b < rows; b++) {
    const perm = Array.from({ length: T - 2 }, (_, i) => i + 1);
    for (let i = 0; i < M; i++) {
      const j = i + r(perm.length - i);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      positions[b * M + i] = perm[i]!;
    }
  }
  return {
    inputIds: tf.tensor2d(ids, [rows, T], 'int32'),
    tokenTypeIds: tf.tensor2d(types, [rows, T], 'int32'),
    attentionMask: tf.ones([rows, T], 'int32'),
    mlmPositions: tf.tensor2d(positions, [rows, M], 'int32'),
    mlmIds: tf.tensor2d(new Int32Array(rows * M).map(() => 5 + r(c.vocab - 5)), [rows, M], 'int32'),
    mlmWeights: tf.ones([rows, M], 'float32'),
    sentenceLabel: tf.tensor1d(new Int32Array(rows).map(() => r(2)), 'int32'),
  };
}

/** Builds the product's pretraining model (MLM + SOP heads, factorized embeddings), LAMB and the inputs. */
export function createAlbertBench(c: BenchConfig, seed = 1): AlbertBench {
  const model = createPretrainingModel(albertConfigOf(c), { embeddings: factorized(), objectives: [mlm(), sop()], seed });
  const batches: PretrainingBatch[] = [];
  for (let i = 0; i < c.batch / c.microBatch; i++) batches.push(albertBatch(c, c.microBatch, seed + 1 + i));
  return {
    model, params: model.namedParameters(), optimizer: createOptimizer('lamb'), batches,
  };
}

/** Frees the model, optimizer slots and inputs. */
export function disposeAlbertBench(b: AlbertBench): void {
  b.optimizer.dispose();
  b.model.dispose();
  for (const batch of b.batches) tf.dispose(Object.values(batch) as tf.Tensor[]);
}

/**
 * One optimizer step exactly as `albert pretrain` runs it: the trainer's `trainStep` (what `train()` calls each
 * step): loss and gradients of each micro-batch with dropout on, their mean, global-norm clipping (1.0), one LAMB
 * update. Returns the mean loss.
 */
export function albertTrainStep(b: AlbertBench, step: number, learningRate = 1e-4): number {
  const dropoutSeeds = b.batches.map((_, micro) => step * 1000 + micro);
  return trainStep(b.model, b.batches, { optimizer: b.optimizer, learningRate, dropoutSeeds, parameters: b.params }).loss;
}
