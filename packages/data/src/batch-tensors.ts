// The only module of @albert-ts/data that imports TensorFlow.js.
import * as tf from '@tensorflow/tfjs-core';
import { toBatchArrays } from './batch.js';
import type { PretrainingInstance } from './instances.js';

/** Pretraining batch tensors; the caller owns (and disposes) them. Shapes are static: `[B, T]`, `[B, P]`, `[B]`. */
export interface PretrainingBatch {
  /** int32 [B, T] */
  inputIds: tf.Tensor2D;
  /** int32 [B, T] */
  tokenTypeIds: tf.Tensor2D;
  /** int32 [B, T] */
  attentionMask: tf.Tensor2D;
  /** int32 [B, P] */
  mlmPositions: tf.Tensor2D;
  /** int32 [B, P] */
  mlmIds: tf.Tensor2D;
  /** float32 [B, P] */
  mlmWeights: tf.Tensor2D;
  /** int32 [B]; -1 = no sentence-level label (objective `none`) */
  sentenceLabel: tf.Tensor1D;
}

/** Pads instances ({@link toBatchArrays}) and wraps them in tensors of static shape. */
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
