import * as tf from '@tensorflow/tfjs-core';
import type {
  AlbertConfig, ApplyContext, EncoderOutputs, Objective, ObjectiveBuildContext, ObjectiveHead, ObjectiveResult,
  PretrainingBatch,
} from '@albert-ts/core';
import { ConfigError } from '@albert-ts/core';
import { crossEntropyPerRow } from './losses.js';
import { accuracy } from './metrics.js';

/** Start and end logits of {@link QuestionAnsweringHead}, each `[B, T]`. */
export interface SpanLogits {
  readonly startLogits: tf.Tensor2D;
  readonly endLogits: tf.Tensor2D;
}

/** Span losses of {@link QuestionAnsweringHead.loss}. */
export interface SpanLosses {
  /** `(startLoss + endLoss) / 2`. */
  readonly loss: tf.Scalar;
  readonly startLoss: tf.Scalar;
  readonly endLoss: tf.Scalar;
}

/** Options of {@link questionAnswering}. */
export interface QuestionAnsweringOptions {
  /** Outputs of `qa_outputs` (HF `num_labels`); must be 2 (start, end), the only layout HF's head supports. */
  numLabels?: 2;
}

/** HF `positions.clamp(0, T)` on int `[B]` → int32 `[B]`. */
function clampPositions(positions: tf.Tensor1D, t: number): tf.Tensor1D {
  return tf.tidy(() => tf.clipByValue(tf.cast(positions, 'int32'), 0, t));
}

/**
 * HF span cross-entropy for one position vector: positions are clamped to `[0, T]`, position `T` is the
 * `ignore_index`, and the loss averages over the non-ignored rows (NaN = 0/0 when every row is ignored, as in HF).
 * `logits` `[B, T]`, `positions` int `[B]` → scalar.
 */
export function spanCrossEntropy(logits: tf.Tensor2D, positions: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const t = logits.shape[1];
    const clamped = clampPositions(positions, t); // clamp(0, T)
    const keep = tf.less(clamped, tf.scalar(t, 'int32')); // [B], ignore_index = T
    const safe = tf.minimum(clamped, tf.scalar(t - 1, 'int32')) as tf.Tensor1D; // ignored rows -> any valid class
    const w = tf.cast(keep, 'float32');
    return tf.div(tf.sum(tf.mul(crossEntropyPerRow(logits, safe), w)), tf.sum(w)) as tf.Scalar;
  });
}

/**
 * The built head of {@link questionAnswering} (HF `AlbertForQuestionAnswering`): `qa_outputs`, a `Linear(H, 2)`
 * (`qa_outputs.weight` `[H, 2]` here, `[2, H]` in torch files, and `qa_outputs.bias`) at every position of
 * `last_hidden_state`, split into start (`[..., 0]`) and end (`[..., 1]`) logits. No dropout, no pooler, and
 * padded positions are not masked (as in HF).
 */
export class QuestionAnsweringHead implements ObjectiveHead {
  readonly name = 'question_answering';
  /** `[H, 2]`. */
  readonly weight: tf.Variable;
  /** `[2]`. */
  readonly bias: tf.Variable;

  constructor(ctx: ObjectiveBuildContext) {
    this.weight = ctx.params.create('qa_outputs.weight', [ctx.config.hiddenSize, 2], 'normal', 'linear');
    this.bias = ctx.params.create('qa_outputs.bias', [2], 'zeros');
  }

  /** `[B, T, H]` → start and end logits, each `[B, T]`. */
  logits(hidden: tf.Tensor3D): SpanLogits {
    return tf.tidy(() => {
      const [b, t, h] = hidden.shape;
      const flat = tf.reshape(hidden, [b * t, h]); // [B, T, H] -> [B*T, H]
      const both = tf.reshape(tf.add(tf.matMul(flat, this.weight), this.bias), [b, t, 2]); // [B*T, 2] -> [B, T, 2]
      const [start, end] = tf.unstack(both, 2); // [B, T, 2] -> 2 x [B, T]
      return { startLogits: start as tf.Tensor2D, endLogits: end as tf.Tensor2D };
    });
  }

  /**
   * HF loss: `start_loss` and `end_loss` are each {@link spanCrossEntropy} (clamp to `[0, T]`, ignore position `T`,
   * mean over that CE's own non-ignored rows; NaN if all of one side's rows are ignored); `loss` is their mean.
   * A negative position clamps to 0 and counts as a real target, as in HF.
   */
  loss(logits: SpanLogits, startPositions: tf.Tensor1D, endPositions: tf.Tensor1D): SpanLosses {
    const startLoss = spanCrossEntropy(logits.startLogits, startPositions);
    const endLoss = spanCrossEntropy(logits.endLogits, endPositions);
    const loss = tf.tidy(() => tf.div(tf.add(startLoss, endLoss), 2) as tf.Scalar);
    return { loss, startLoss, endLoss };
  }

  /**
   * Loss and logits for explicit positions (int `[B]` each, raw values before clamping). Metrics `start_loss`,
   * `end_loss`, `start_accuracy`, `end_accuracy` (accuracies over rows whose position is < T).
   */
  computeWithLabels(
    outputs: EncoderOutputs, startPositions: tf.Tensor1D, endPositions: tf.Tensor1D, _ctx?: ApplyContext,
  ): ObjectiveResult & SpanLogits & { startLoss: tf.Scalar; endLoss: tf.Scalar } {
    const [b, t] = outputs.lastHiddenState.shape;
    for (const [field, p] of [['startPositions', startPositions], ['endPositions', endPositions]] as const) {
      if (p.shape.length !== 1 || p.shape[0] !== b) {
        throw new ConfigError(field, `[${p.shape.join(',')}]`, `must have shape [${b}] (one position per row)`);
      }
    }
    const logits = this.logits(outputs.lastHiddenState);
    const { loss, startLoss, endLoss } = this.loss(logits, startPositions, endPositions);
    const acc = (l: tf.Tensor2D, p: tf.Tensor1D) => tf.tidy(() => {
      const clamped = clampPositions(p, t);
      const w = tf.cast(tf.less(clamped, tf.scalar(t, 'int32')), 'float32') as tf.Tensor1D;
      return accuracy(l, tf.minimum(clamped, tf.scalar(t - 1, 'int32')) as tf.Tensor1D, w);
    });
    const metrics = {
      start_loss: tf.clone(startLoss), end_loss: tf.clone(endLoss),
      start_accuracy: acc(logits.startLogits, startPositions), end_accuracy: acc(logits.endLogits, endPositions),
    };
    return { loss, metrics, ...logits, startLoss, endLoss };
  }

  /**
   * {@link ObjectiveHead} form: the span is read from `batch.mlmPositions` (int32 `[B, ≥2]`): column 0 is the
   * start position, column 1 the end position. Same loss and metrics as {@link computeWithLabels}.
   */
  compute(outputs: EncoderOutputs, batch: PretrainingBatch, ctx: ApplyContext): ObjectiveResult {
    const [b, p] = batch.mlmPositions.shape;
    if (p < 2) throw new ConfigError('mlmPositions', `[${b},${p}]`, 'must hold [start, end] in its first 2 columns');
    return tf.tidy(() => {
      const [start, end] = tf.unstack(tf.slice(batch.mlmPositions, [0, 0], [b, 2]), 1); // [B, 2] -> 2 x [B]
      const r = this.computeWithLabels(outputs, start as tf.Tensor1D, end as tf.Tensor1D, ctx);
      return { loss: r.loss, metrics: r.metrics };
    });
  }
}

/** HF `AlbertForQuestionAnswering` head: `Linear(H, 2)` span logits, loss as HF (see {@link spanCrossEntropy}). */
export function questionAnswering(options: QuestionAnsweringOptions = {}): Objective<QuestionAnsweringHead> {
  if (options.numLabels !== undefined && options.numLabels !== 2) {
    throw new ConfigError('numLabels', String(options.numLabels), 'must be 2 (start, end) for question answering');
  }
  return {
    name: 'question_answering',
    countParams: (config: AlbertConfig) => config.hiddenSize * 2 + 2,
    build: (ctx: ObjectiveBuildContext) => new QuestionAnsweringHead(ctx),
  };
}
