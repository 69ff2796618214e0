import * as tf from '@tensorflow/tfjs-core';
import { type PretrainingInstance, toBatchTensors, disposeBatch } from '@albert-ts/data';
import { type PretrainingSetup, forward } from './model.js';

/** Held-out evaluation sets built from documents the model never trains on. */
export interface EvalSets {
  /** SOP instances (label 1 = swapped); also the MLM evaluation set. */
  readonly sop: PretrainingInstance[];
  /** NSP instances (label 1 = random next segment). */
  readonly nsp: PretrainingInstance[];
}

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

function sumOver(
  setup: PretrainingSetup, instances: readonly PretrainingInstance[], batchSize: number, maxSeqLength: number,
  maxPredictions: number, withMlm: boolean,
): { mlmLoss: number; mlmAcc: number; mlmWeight: number; sentLoss: number; sentAcc: number; rows: number } {
  let mlmLoss = 0, mlmAcc = 0, mlmWeight = 0, sentLoss = 0, sentAcc = 0, rows = 0;
  for (let i = 0; i < instances.length; i += batchSize) {
    const chunk = instances.slice(i, i + batchSize);
    const batch = toBatchTensors(chunk, maxSeqLength, maxPredictions);
    try {
      const heads = withMlm ? [setup.mlmHead, setup.sentenceHead] : [setup.sentenceHead];
      const values = tf.tidy(() => {
        const r = forward(setup, heads, batch, false, 0);
        const w = tf.sum(batch.mlmWeights);
        const sentAccName = `${setup.sentenceHead.name}_accuracy`;
        const list = [r.losses[setup.sentenceHead.name], r.metrics[sentAccName], w];
        if (withMlm) list.push(r.losses[setup.mlmHead.name], r.metrics[`${setup.mlmHead.name}_accuracy`]);
        return tf.stack(list.map((t) => tf.reshape(t, [])));
      });
      const v = values.dataSync();
      values.dispose();
      const n = chunk.length;
      sentLoss += v[0] * n; sentAcc += v[1] * n; rows += n;
      if (withMlm) { mlmLoss += v[3] * v[2]; mlmAcc += v[4] * v[2]; mlmWeight += v[2]; }
    } finally {
      disposeBatch(batch);
    }
  }
  return { mlmLoss, mlmAcc, mlmWeight, sentLoss, sentAcc, rows };
}

/**
 * Evaluates without dropout: MLM loss/accuracy over the SOP set's masked positions (weighted by target count),
 * and the sentence head's accuracy and loss on the NSP and SOP sets (weighted by rows).
 */
export function evaluatePretraining(
  setup: PretrainingSetup, sets: EvalSets, batchSize: number, maxSeqLength: number, maxPredictions: number,
): EvalMetrics {
  const s = sumOver(setup, sets.sop, batchSize, maxSeqLength, maxPredictions, true);
  const n = sumOver(setup, sets.nsp, batchSize, maxSeqLength, maxPredictions, false);
  return {
    mlm_loss: s.mlmLoss / Math.max(s.mlmWeight, 1e-9),
    mlm_accuracy: s.mlmAcc / Math.max(s.mlmWeight, 1e-9),
    nsp_accuracy: n.sentAcc / Math.max(n.rows, 1),
    sop_accuracy: s.sentAcc / Math.max(s.rows, 1),
    nsp_loss: n.sentLoss / Math.max(n.rows, 1),
    sop_loss: s.sentLoss / Math.max(s.rows, 1),
  };
}
