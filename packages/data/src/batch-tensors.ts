// The only module of @albert-ts/data that imports TensorFlow.js.
import * as tf from '@tensorflow/tfjs-core';
import type { PretrainingBatch } from '@albert-ts/core';
import { toBatchArrays } from './batch.js';
import type { PretrainingInstance } from './instances.js';
import type { EncodedExamples } from './task-encoding.js';

/**
 * Pads instances ({@link toBatchArrays}) and wraps them in tensors of static shape (`[B, T]`, `[B, P]`, `[B]`;
 * `sentenceLabel` -1 = no sentence-level label, objective `none`). The caller owns (and disposes) them.
 */
export function toBatchTensors(instances: readonly PretrainingInstance[], maxSeqLength: number, maxPredictions: number, padId = 0): PretrainingBatch {
  const a = toBatchArrays(instances, maxSeqLength, maxPredictions, padId);
  const B = a.batchSize, T = a.maxSeqLength, P = a.maxPredictions;
  return {
    inputIds: tf.tensor2d(a.inputIds, [B, T], 'int32'),
    tokenTypeIds: tf.tensor2d(a.tokenTypeIds, [B, T], 'int32'),
    attentionMask: tf.tensor2d(a.attentionMask, [B, T], 'int32'),
    mlmPositions: tf.tensor2d(a.mlmPositions, [B, P], 'int32'),
    mlmIds: tf.tensor2d(a.mlmIds, [B, P], 'int32'),
    mlmWeights: tf.tensor2d(a.mlmWeights, [B, P], 'float32'),
    sentenceLabel: tf.tensor1d(a.sentenceLabel, 'int32'),
  };
}

/** Disposes every tensor of a batch. */
export function disposeBatch(batch: PretrainingBatch): void {
  tf.dispose([batch.inputIds, batch.tokenTypeIds, batch.attentionMask, batch.mlmPositions, batch.mlmIds, batch.mlmWeights, batch.sentenceLabel]);
}

/**
 * Rows of encoded task examples as a batch for a classification head: ids, types and masks `[B, T]`, the labels
 * as `sentenceLabel` `[B]`, and no MLM targets (P = 0). The caller owns (and disposes) the tensors.
 */
export function exampleBatch(d: EncodedExamples, rows: readonly number[]): PretrainingBatch {
  const b = rows.length;
  const pick = (src: Int32Array): tf.Tensor2D => {
    const a = new Int32Array(b * d.t);
    rows.forEach((r, i) => a.set(src.subarray(r * d.t, (r + 1) * d.t), i * d.t));
    return tf.tensor2d(a, [b, d.t], 'int32');
  };
  return {
    inputIds: pick(d.inputIds), tokenTypeIds: pick(d.tokenTypeIds), attentionMask: pick(d.attentionMask),
    mlmPositions: tf.zeros([b, 0], 'int32'), mlmIds: tf.zeros([b, 0], 'int32'), mlmWeights: tf.zeros([b, 0], 'float32'),
    sentenceLabel: tf.tensor1d(Int32Array.from(rows, (r) => d.labels[r]), 'int32'),
  };
}
