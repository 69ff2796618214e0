// Held-out evaluation of a pretraining model, honest about what each number can mean: MLM accuracy next to the
// most-frequent-token rate of the same targets, sentence-head accuracies named by which head is scored on which
// pairs (an SOP head on NSP pairs is `sop_head_on_nsp_pairs`, never "NSP accuracy"), and the surface-cue rules of
// the same pairs next to every sentence accuracy.
import * as tf from '@tensorflow/tfjs-core';
import {
  type AlbertForPreTraining, type AlbertOutputs, type PretrainingBatch, createApplyContext,
} from '@albert-ts/core';
import {
  type PairCueBaselines, type PretrainingInstance, type SentenceObjective, disposeBatch, toBatchTensors,
} from '@albert-ts/data';
import { aboveWithDisjointIntervals } from '../interval.js';
import { mlmMajorityBaseline } from './baseline.js';

/** Held-out evaluation sets built from documents the model never trains on. */
export interface EvalSets {
  /** SOP pairs (label 1 = swapped); also the MLM evaluation set. */
  readonly sop: PretrainingInstance[];
  /** NSP pairs (label 1 = random next segment). */
  readonly nsp: PretrainingInstance[];
  /** What the segment-length and punctuation rules score on each set (`pairCueBaselines` of `@albert-ts/data`). */
  readonly cues?: { readonly sop: PairCueBaselines; readonly nsp: PairCueBaselines };
  /** False when the pairs are ordinary instances, not length-matched ones (a corpus too small to match). */
  readonly lengthMatched?: boolean;
}

/** Which head is scored on which pairs: `sop`/`nsp` for a head on its own task's pairs, else a name saying both. */
export type SentenceMetricName =
  | 'sop' | 'nsp' | 'sop_head_on_nsp_pairs' | 'nsp_head_on_sop_pairs' | 'untrained_head_on_sop_pairs' | 'untrained_head_on_nsp_pairs';

/**
 * The honest name of a sentence head's score on a pair set: the head trained on the pretraining objective
 * (`none`: a head that was never trained) scored on `pairs`.
 */
export function sentenceMetricName(objective: SentenceObjective, pairs: 'sop' | 'nsp'): SentenceMetricName {
  if (objective === 'none') return `untrained_head_on_${pairs}_pairs`;
  if (objective === pairs) return pairs;
  return pairs === 'nsp' ? 'sop_head_on_nsp_pairs' : 'nsp_head_on_sop_pairs';
}

/** Held-out metrics (the paper's Table 5 intrinsic accuracies, with their baselines). */
export type EvalMetrics = {
  mlm_loss: number;
  mlm_accuracy: number;
  /** Masked tokens scored, and how many were predicted right (for intervals). */
  mlm_count: number;
  mlm_correct: number;
  /** Accuracy of always predicting the most frequent masked token of the same targets. */
  mlm_baseline: number;
  /** True when the Wilson 95% interval of `mlm_accuracy` lies above the baseline's. */
  mlm_left_baseline: boolean;
  /** Pairs in each set. */
  sop_pairs: number;
  nsp_pairs: number;
  /** Cue rules on the same pairs (present when the sets carry `cues`). */
  sop_pairs_length_rule?: number;
  sop_pairs_punctuation_rule?: number;
  nsp_pairs_length_rule?: number;
  nsp_pairs_punctuation_rule?: number;
  /**
   * Mean entropy (nats) of the attention rows over heads, layers and non-padding queries of the SOP set's first
   * `attentionSequences` sequences, and of uniform attention over the same rows.
   */
  attention_entropy?: number;
  attention_entropy_uniform?: number;
  /** The same per layer application (L × inner_group_num entries). */
  attention_entropy_by_layer?: number[];
} & { [K in `${SentenceMetricName}_accuracy` | `${SentenceMetricName}_loss`]?: number };

/** Options of {@link evaluatePretraining}. */
export interface EvaluateOptions {
  readonly batchSize: number;
  readonly maxSeqLength: number;
  readonly maxPredictionsPerSeq: number;
  /** Also measure attention entropy (one extra Q·K product per block; default false), on the SOP set's first sequences. */
  readonly attentionEntropy?: boolean;
  /** How many SOP-set sequences the attention entropy averages over (default 256). */
  readonly attentionSequences?: number;
  /** Ask the encoder for every layer's hidden states (for `onBatch`; default false). */
  readonly outputHiddenStates?: boolean;
  /** Sees each forward pass (e.g. layer geometry). Do not keep the tensors: they are disposed afterwards. */
  readonly onBatch?: (outputs: AlbertOutputs, batch: PretrainingBatch, set: 'sop' | 'nsp') => void;
}

interface Sums { loss: number; correct: number; n: number }

/**
 * Evaluates without dropout: MLM loss and accuracy over the SOP set's masked positions (with the most-frequent-token
 * rate of the same targets), and the sentence head's accuracy and loss on the SOP and on the NSP pairs, each under
 * the name {@link sentenceMetricName} gives it, next to the cue rules of the same pairs. `objective` is what the
 * model was pretrained with (`none`: its sentence head, `sop`, was never trained).
 */
export function evaluatePretraining(
  model: AlbertForPreTraining, objective: SentenceObjective, sets: EvalSets, options: EvaluateOptions,
): EvalMetrics {
  const headName = objective === 'nsp' ? 'nsp' : 'sop';
  const mlmHead = model.head('mlm');
  const sentenceHead = model.head(headName);
  if (mlmHead === undefined || sentenceHead === undefined) {
    throw new TypeError(`evaluatePretraining: the model needs heads 'mlm' and '${headName}' (has ${model.heads.map((h) => h.name).join(', ')})`);
  }
  const ctx = createApplyContext({ training: false });
  const mlm: Sums = { loss: 0, correct: 0, n: 0 };
  const sentence: Record<'sop' | 'nsp', Sums> = { sop: { loss: 0, correct: 0, n: 0 }, nsp: { loss: 0, correct: 0, n: 0 } };
  const entropy: { sum: number[]; uniform: number; rows: number } = { sum: [], uniform: 0, rows: 0 };
  for (const set of ['sop', 'nsp'] as const) {
    const instances = sets[set];
    for (let i = 0; i < instances.length; i += options.batchSize) {
      const chunk = instances.slice(i, i + options.batchSize);
      const batch = toBatchTensors(chunk, options.maxSeqLength, options.maxPredictionsPerSeq);
      let outputs: AlbertOutputs | undefined;
      const attention = options.attentionEntropy === true && set === 'sop' && i < (options.attentionSequences ?? 256);
      try {
        outputs = model.albert.apply(
          { inputIds: batch.inputIds, tokenTypeIds: batch.tokenTypeIds, attentionMask: batch.attentionMask },
          { outputHiddenStates: options.outputHiddenStates, outputAttentions: attention },
        );
        options.onBatch?.(outputs, batch, set);
        const out = outputs;
        const values = tf.tidy(() => {
          const s = sentenceHead.compute(out, batch, ctx);
          const list = [s.loss, s.metrics[`${headName}_accuracy`]];
          if (set === 'sop') {
            const m = mlmHead.compute(out, batch, ctx);
            list.push(m.loss, m.metrics['mlm_accuracy'], tf.sum(batch.mlmWeights));
          }
          if (out.attentions) list.push(...out.attentions.map((a) => attentionEntropySum(a, batch.attentionMask)), ...uniformAttention(batch.attentionMask));
          return tf.stack(list.map((t) => tf.reshape(t, [])));
        });
        const v = values.dataSync();
        values.dispose();
        sentence[set].loss += v[0] * chunk.length;
        sentence[set].correct += v[1] * chunk.length;
        sentence[set].n += chunk.length;
        let k = 2;
        if (set === 'sop') {
          mlm.loss += v[2] * v[4];
          mlm.correct += v[3] * v[4];
          mlm.n += v[4];
          k = 5;
        }
        if (out.attentions) {
          out.attentions.forEach((_, l) => { entropy.sum[l] = (entropy.sum[l] ?? 0) + v[k + l]; });
          const heads = out.attentions[0].shape[1];
          entropy.uniform += heads * v[k + out.attentions.length + 1];
          entropy.rows += heads * v[k + out.attentions.length];
        }
      } finally {
        if (outputs) disposeOutputs(outputs);
        disposeBatch(batch);
      }
    }
  }
  const mlmCount = Math.round(mlm.n);
  const mlmCorrect = Math.round(mlm.correct);
  const baseline = mlmMajorityBaseline(sets.sop);
  const metrics: EvalMetrics = {
    mlm_loss: mlm.loss / Math.max(mlm.n, 1e-9),
    mlm_accuracy: mlm.n > 0 ? mlm.correct / mlm.n : NaN,
    mlm_count: mlmCount,
    mlm_correct: mlmCorrect,
    mlm_baseline: baseline.rate,
    mlm_left_baseline: aboveWithDisjointIntervals(Math.min(mlmCorrect, mlmCount), Math.min(baseline.count, mlmCount), mlmCount),
    sop_pairs: sentence.sop.n,
    nsp_pairs: sentence.nsp.n,
  };
  for (const set of ['sop', 'nsp'] as const) {
    const s = sentence[set];
    if (s.n === 0) continue;
    const name = sentenceMetricName(objective, set);
    metrics[`${name}_accuracy`] = s.correct / s.n;
    metrics[`${name}_loss`] = s.loss / s.n;
    const cues = sets.cues?.[set];
    if (cues) {
      metrics[`${set}_pairs_length_rule`] = cues.lengthRule.accuracy;
      metrics[`${set}_pairs_punctuation_rule`] = cues.punctuationRule.accuracy;
    }
  }
  if (entropy.rows > 0) {
    // Each layer's sum covers the same rows (heads × non-padding queries).
    const perLayer = entropy.sum.map((x) => x / entropy.rows);
    metrics.attention_entropy_by_layer = perLayer;
    metrics.attention_entropy = perLayer.reduce((a, b) => a + b, 0) / perLayer.length;
    metrics.attention_entropy_uniform = entropy.uniform / entropy.rows;
  }
  return metrics;
}

/** Sum over heads and non-padding query rows of the entropy (nats) of each attention row. */
function attentionEntropySum(probs: tf.Tensor4D, attentionMask: tf.Tensor2D): tf.Scalar {
  const [b, , t] = probs.shape;
  const plogp = tf.mul(probs, tf.log(tf.maximum(probs, 1e-30))); // [B, heads, T, T]
  const rows = tf.neg(tf.sum(plogp, -1)); // [B, heads, T]
  const queries = tf.reshape(tf.cast(attentionMask, 'float32'), [b, 1, t]); // [B, T] -> [B, 1, T]
  return tf.sum(tf.mul(rows, queries));
}

/** Non-padding query rows (per head), and the sum over them of log(non-padding keys): uniform attention's entropy. */
function uniformAttention(attentionMask: tf.Tensor2D): [tf.Scalar, tf.Scalar] {
  const keys = tf.sum(tf.cast(attentionMask, 'float32'), -1); // [B]: non-padding keys = non-padding queries per row
  return [tf.sum(keys), tf.sum(tf.mul(keys, tf.log(tf.maximum(keys, 1))))];
}

function disposeOutputs(o: AlbertOutputs): void {
  tf.dispose([o.lastHiddenState, ...(o.poolerOutput ? [o.poolerOutput] : []), ...(o.hiddenStates ?? []), ...(o.attentions ?? [])]);
}

/**
 * One line for logs: MLM next to the most-frequent-token rate, and each sentence accuracy under its honest name next
 * to the cue rules of the same pairs, e.g. `mlm_loss 5.91 mlm_acc 0.0830 (most-frequent token 0.0490) sop_acc
 * 0.5120 (length rule 0.500, punctuation rule 0.512) sop_head_on_nsp_pairs_acc 0.4900 (...)`.
 */
export function formatEvalLine(m: EvalMetrics): string {
  const parts = [
    `mlm_loss ${m.mlm_loss.toFixed(4)} mlm_acc ${m.mlm_accuracy.toFixed(4)} (most-frequent token ${m.mlm_baseline.toFixed(4)}` +
      `${m.mlm_left_baseline ? '' : ', not above it'})`,
  ];
  for (const name of SENTENCE_METRIC_NAMES) {
    const acc = m[`${name}_accuracy`];
    if (acc === undefined) continue;
    const set = name.endsWith('nsp_pairs') || name === 'nsp' ? 'nsp' : 'sop';
    const len = m[`${set}_pairs_length_rule`];
    const punct = m[`${set}_pairs_punctuation_rule`];
    const cues = len === undefined || punct === undefined ? '' : ` (length rule ${len.toFixed(3)}, punctuation rule ${punct.toFixed(3)})`;
    parts.push(`${name}_acc ${acc.toFixed(4)}${cues}`);
  }
  if (m.attention_entropy !== undefined && m.attention_entropy_uniform !== undefined) {
    parts.push(`attention entropy ${m.attention_entropy.toFixed(3)} (uniform ${m.attention_entropy_uniform.toFixed(3)})`);
  }
  return parts.join(' ');
}

/** Every {@link SentenceMetricName}, in report order. */
export const SENTENCE_METRIC_NAMES: readonly SentenceMetricName[] = [
  'sop', 'nsp', 'sop_head_on_nsp_pairs', 'nsp_head_on_sop_pairs', 'untrained_head_on_sop_pairs', 'untrained_head_on_nsp_pairs',
];
