import * as tf from '@tensorflow/tfjs-core';
import type { AlbertForPreTraining } from '@albert-ts/core';
import { type PretrainingInstance, disposeBatch, toBatchTensors } from '@albert-ts/data';
import type { EvalSets } from './data.js';

/** Held-out metrics, as in the paper's Table 5 (MLM, NSP and SOP accuracy) plus the MLM loss. */
export interface EvalMetrics {
  mlm_loss: number;
  mlm_accuracy: number;
  /** The sentence head's accuracy on the NSP set and on the SOP set. */
  nsp_accuracy: number;
  sop_accuracy: number;
  /** Cross-entropy of the sentence head on each set. */
  nsp_loss: number;
  sop_loss: number;
}

/** Weighted sums of the heads' losses and accuracies over a set (MLM weighted by target count, the rest by rows). */
function sumOver(
  model: AlbertForPreTraining, heads: readonly string[], instances: readonly PretrainingInstance[], batchSize: number,
  maxSeqLength: number, maxPredictions: number,
): Record<string, { loss: number; accuracy: number; weight: number }> {
  const sums: Record<string, { loss: number; accuracy: number; weight: number }> = {};
  for (const h of heads) sums[h] = { loss: 0, accuracy: 0, weight: 0 };
  for (let i = 0; i < instances.length; i += batchSize) {
    const chunk = instances.slice(i, i + batchSize);
    const batch = toBatchTensors(chunk, maxSeqLength, maxPredictions);
    try {
      const values = tf.tidy(() => {
        const r = model.compute(batch, { heads });
        const targets = tf.sum(batch.mlmWeights);
        return tf.stack([targets, ...heads.flatMap((h) => [r.losses[h], r.metrics[`${h}_accuracy`]])].map((t) => tf.reshape(t, [])));
      });
      const v = values.dataSync();
      values.dispose();
      heads.forEach((h, k) => {
        const w = h === 'mlm' ? v[0] : chunk.length;
        sums[h].loss += v[1 + 2 * k] * w;
        sums[h].accuracy += v[2 + 2 * k] * w;
        sums[h].weight += w;
      });
    } finally {
      disposeBatch(batch);
    }
  }
  return sums;
}

/**
 * Evaluates without dropout: MLM loss/accuracy over the SOP set's masked positions (weighted by target count), and
 * the sentence head's accuracy and loss on the NSP and SOP sets (weighted by rows).
 */
export function evaluatePretraining(
  model: AlbertForPreTraining, sentenceHead: string, sets: EvalSets, batchSize: number, maxSeqLength: number,
  maxPredictions: number,
): EvalMetrics {
  const s = sumOver(model, ['mlm', sentenceHead], sets.sop, batchSize, maxSeqLength, maxPredictions);
  const n = sumOver(model, [sentenceHead], sets.nsp, batchSize, maxSeqLength, maxPredictions)[sentenceHead];
  const mean = (x: { loss: number; accuracy: number; weight: number }, k: 'loss' | 'accuracy') => x[k] / Math.max(x.weight, 1e-9);
  return {
    mlm_loss: mean(s.mlm, 'loss'), mlm_accuracy: mean(s.mlm, 'accuracy'),
    nsp_accuracy: mean(n, 'accuracy'), sop_accuracy: mean(s[sentenceHead], 'accuracy'),
    nsp_loss: mean(n, 'loss'), sop_loss: mean(s[sentenceHead], 'loss'),
  };
}
