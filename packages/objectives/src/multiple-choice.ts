import * as tf from '@tensorflow/tfjs-core';
import type {
  AlbertConfig, ApplyContext, EncoderOutputs, Objective, ObjectiveBuildContext, ObjectiveHead, ObjectiveResult,
  PretrainingBatch,
} from '@albert-ts/core';
import { ConfigError } from '@albert-ts/core';
import { crossEntropy } from './losses.js';
import { accuracy } from './metrics.js';

/** Options of {@link multipleChoice}. */
export interface MultipleChoiceOptions {
  /** Dropout on the pooled output; defaults to the config's `classifierDropoutProb` (HF: else hidden dropout). */
  dropoutProb?: number;
}

/**
 * Flattens multiple-choice inputs (`input_ids`, `token_type_ids` or `attention_mask`) for the backbone:
 * `[B, C, T]` → `[B*C, T]`, choice index fastest. Every choice becomes an independent sequence (positions restart
 * at 0), as in HF `AlbertForMultipleChoice`.
 */
export function flattenChoices(x: tf.Tensor3D): tf.Tensor2D {
  const [b, c, t] = x.shape;
  return tf.reshape(x, [b * c, t]); // [B, C, T] -> [B*C, T]
}

/**
 * The built head of {@link multipleChoice} (HF `AlbertForMultipleChoice`): `classifier(dropout(pooled))` with a
 * `Linear(H, 1)` (`classifier.weight` `[H, 1]` here, `[1, H]` in torch files, and `classifier.bias`) on the pooled
 * output of the `[B*C, T]` flattened batch, reshaped to `[B, C]` scores; loss = mean CE over B.
 */
export class MultipleChoiceHead implements ObjectiveHead {
  readonly name = 'multiple_choice';
  /** `[H, 1]`. */
  readonly weight: tf.Variable;
  /** `[1]`. */
  readonly bias: tf.Variable;

  constructor(ctx: ObjectiveBuildContext, private readonly dropoutProb: number) {
    this.weight = ctx.params.create('classifier.weight', [ctx.config.hiddenSize, 1], 'normal', 'linear');
    this.bias = ctx.params.create('classifier.bias', [1], 'zeros');
  }

  /** Pooled output of the flattened batch `[B*C, H]` → `[B, C]` choice logits. */
  logits(pooled: tf.Tensor2D, numChoices: number, ctx: ApplyContext): tf.Tensor2D {
    const n = pooled.shape[0];
    if (!Number.isInteger(numChoices) || numChoices < 1 || n % numChoices !== 0) {
      throw new ConfigError('numChoices', String(numChoices), `must be a positive integer dividing the ${n} flattened rows`);
    }
    return tf.tidy(() => {
      const scores = tf.add(tf.matMul(ctx.dropout(pooled, this.dropoutProb), this.weight), this.bias); // [B*C, 1]
      return tf.reshape(scores, [n / numChoices, numChoices]) as tf.Tensor2D; // [B*C, 1] -> [B, C]
    });
  }

  /** Mean cross-entropy over B (`logits` `[B, C]`, `labels` int `[B]` in `0..C-1`). */
  loss(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
    return crossEntropy(logits, labels);
  }

  /**
   * Loss, metric `accuracy` and `[B, C]` logits. `outputs` are the backbone outputs of the flattened `[B*C, T]`
   * batch (see {@link flattenChoices}); `labels` int `[B]`; C = `B*C / B`.
   */
  computeWithLabels(
    outputs: EncoderOutputs, labels: tf.Tensor1D, ctx: ApplyContext,
  ): ObjectiveResult & { logits: tf.Tensor2D } {
    if (outputs.poolerOutput === undefined) {
      throw new ConfigError('poolerOutput', 'undefined', 'multiple choice needs a model with a pooler');
    }
    const n = outputs.poolerOutput.shape[0];
    const b = labels.shape[0];
    if (labels.shape.length !== 1 || b < 1 || n % b !== 0) {
      throw new ConfigError('labels', `[${labels.shape.join(',')}]`, `must be [B] with B dividing the ${n} flattened rows`);
    }
    const logits = this.logits(outputs.poolerOutput, n / b, ctx);
    const loss = this.loss(logits, labels);
    return { loss, metrics: { accuracy: accuracy(logits, labels) }, logits };
  }

  /**
   * {@link ObjectiveHead} form: `batch` is the flattened `[B*C, T]` batch and `batch.sentenceLabel` (int32 `[B]`)
   * holds the index of the right choice.
   */
  compute(outputs: EncoderOutputs, batch: PretrainingBatch, ctx: ApplyContext): ObjectiveResult {
    const { loss, metrics, logits } = this.computeWithLabels(outputs, batch.sentenceLabel, ctx);
    logits.dispose();
    return { loss, metrics };
  }
}

/** HF `AlbertForMultipleChoice` head: one score per choice from the pooled output, softmax over the C choices. */
export function multipleChoice(options: MultipleChoiceOptions = {}): Objective<MultipleChoiceHead> {
  return {
    name: 'multiple_choice',
    usesPooler: true,
    countParams: (config: AlbertConfig) => config.hiddenSize + 1,
    build: (ctx: ObjectiveBuildContext) => new MultipleChoiceHead(
      ctx, options.dropoutProb ?? ctx.config.classifierDropoutProb ?? ctx.config.hiddenDropoutProb),
  };
}
