import * as tf from '@tensorflow/tfjs-core';
import type { BenchConfig } from './configs.js';
import { referenceEncode, referenceLoss, type ReferenceParams } from './reference-model.js';

/** Fixed random token ids and labels, one pair of int32 [microBatch*T] tensors per micro-batch. */
export interface BenchData {
  ids: tf.Tensor1D[];
  labels: tf.Tensor1D[];
}

/** Draws the benchmark's inputs (uniform token ids and labels, like torch_step.py). */
export function createBenchData(c: BenchConfig, seed = 1): BenchData {
  const n = c.batch / c.microBatch;
  const size = c.microBatch * c.seqLen;
  const ids: tf.Tensor1D[] = [];
  const labels: tf.Tensor1D[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([size], 0, c.vocab, 'float32', seed + 2 * i)), 'int32') as tf.Tensor1D));
    labels.push(tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([size], 0, c.vocab, 'float32', seed + 2 * i + 1)), 'int32') as tf.Tensor1D));
  }
  return { ids, labels };
}

/** Disposes the inputs. */
export function disposeBenchData(d: BenchData): void {
  for (const t of [...d.ids, ...d.labels]) t.dispose();
}

/**
 * One optimizer step over `batch` sequences: forward, backward and Adam, accumulating gradients over the
 * micro-batches (each micro-batch's loss is scaled by 1/numMicro so the update equals the full-batch one).
 * Returns the loss (mean over all tokens).
 */
export function trainStep(p: ReferenceParams, c: BenchConfig, data: BenchData, opt: tf.Optimizer): number {
  const vars = Object.values(p) as tf.Variable[];
  const numMicro = data.ids.length;
  if (numMicro === 1) {
    const cost = opt.minimize(() => referenceLoss(p, c, data.ids[0]!, data.labels[0]!, c.microBatch), true, vars);
    const value = cost!.dataSync()[0]!;
    cost!.dispose();
    return value;
  }
  let acc: Record<string, tf.Tensor> | null = null;
  let loss = 0;
  try {
    for (let i = 0; i < numMicro; i++) {
      const { value, grads } = tf.variableGrads(
        () => tf.div(referenceLoss(p, c, data.ids[i]!, data.labels[i]!, c.microBatch), numMicro),
        vars,
      );
      loss += value.dataSync()[0]!;
      value.dispose();
      if (acc === null) acc = grads;
      else {
        const prev: Record<string, tf.Tensor> = acc;
        acc = {};
        for (const name of Object.keys(grads)) {
          acc[name] = tf.add(prev[name]!, grads[name]!);
          prev[name]!.dispose();
          grads[name]!.dispose();
        }
      }
    }
    opt.applyGradients(acc as tf.NamedTensorMap);
  } finally {
    if (acc !== null) for (const t of Object.values(acc)) t.dispose();
  }
  return loss;
}

/** Inference forward pass over every micro-batch; returns a checksum of the hidden states (forces execution). */
export function forwardStep(p: ReferenceParams, c: BenchConfig, data: BenchData): number {
  let sum = 0;
  for (let i = 0; i < data.ids.length; i++) {
    sum += tf.tidy(() => tf.sum(referenceEncode(p, c, data.ids[i]!, c.microBatch)).dataSync()[0]!);
  }
  return sum;
}
