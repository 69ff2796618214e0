import * as tf from '@tensorflow/tfjs-core';
import type {
  AlbertConfig, ApplyContext, EncoderOutputs, Objective, ObjectiveBuildContext, ObjectiveHead, ObjectiveResult,
  PretrainingBatch,
} from '@albert-ts/core';
import { ConfigError } from '@albert-ts/core';
import { gatherPositions } from './gather-positions.js';
import { crossEntropyPerRow, weightedCrossEntropy } from './losses.js';
import { accuracy } from './metrics.js';

/** HF's `CrossEntropyLoss` default `ignore_index`: token labels with this value do not count. */
export const IGNORE_INDEX = -100;

/**
 * HF `CrossEntropyLoss()` on dense labels: `[B, T, C]` logits, int `[B, T]` labels with `-100` ({@link IGNORE_INDEX})
 * at positions that do not count → mean CE over the other positions. NaN (0/0) when every label is `-100`, as in HF.
 */
export function ignoreIndexCrossEntropy(logits: tf.Tensor3D, labels: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [b, t, c] = logits.shape;
    const flatLabels = tf.reshape(tf.cast(labels, 'int32'), [b * t]) as tf.Tensor1D; // [B, T] -> [B*T]
    const keep = tf.notEqual(flatLabels, tf.scalar(IGNORE_INDEX, 'int32')); // [B*T]
    const safe = tf.maximum(flatLabels, tf.scalar(0, 'int32')) as tf.Tensor1D; // -100 -> class 0 (weight 0)
    const ce = crossEntropyPerRow(tf.reshape(logits, [b * t, c]) as tf.Tensor2D, safe); // [B, T, C] -> [B*T, C]
    const w = tf.cast(keep, 'float32');
    return tf.div(tf.sum(tf.mul(ce, w)), tf.sum(w)) as tf.Scalar;
  });
}

/** Options of {@link tokenClassification}. */
export interface TokenClassificationOptions {
  /** Number of token classes (HF `num_labels`). */
  numLabels: number;
  /** Dropout on the hidden states; defaults to the config's `classifierDropoutProb` (HF: else hidden dropout). */
  dropoutProb?: number;
}

/**
 * The built head of {@link tokenClassification} (HF `AlbertForTokenClassification`):
 * `logits = classifier(dropout(last_hidden_state))`, a `Linear(H, numLabels)` applied at every position (padding
 * included), named `classifier.weight` (`[H, numLabels]` here, `[numLabels, H]` in torch files) and `classifier.bias`.
 * The backbone has no pooler (HF builds it with `add_pooling_layer=False`).
 */
export class TokenClassificationHead implements ObjectiveHead {
  readonly name = 'token_classification';
  /** `[H, numLabels]`. */
  readonly weight: tf.Variable;
  /** `[numLabels]`. */
  readonly bias: tf.Variable;

  constructor(ctx: ObjectiveBuildContext, readonly numLabels: number, private readonly dropoutProb: number) {
    this.weight = ctx.params.create('classifier.weight', [ctx.config.hiddenSize, numLabels], 'normal', 'linear');
    this.bias = ctx.params.create('classifier.bias', [numLabels], 'zeros');
  }

  /** `[B, T, H]` → `[B, T, numLabels]` logits at every position. */
  logits(hidden: tf.Tensor3D, ctx: ApplyContext): tf.Tensor3D {
    return tf.tidy(() => {
      const [b, t, h] = hidden.shape;
      const flat = tf.reshape(ctx.dropout(hidden, this.dropoutProb), [b * t, h]); // [B, T, H] -> [B*T, H]
      const logits = tf.add(tf.matMul(flat, this.weight), this.bias); // [B*T, C]
      return tf.reshape(logits, [b, t, this.numLabels]) as tf.Tensor3D; // [B*T, C] -> [B, T, C]
    });
  }

  /**
   * HF loss: cross-entropy averaged over the positions whose label is not `-100` (`labels` int32 `[B, T]`).
   * Like HF, the result is NaN (0/0) when every label is `-100`.
   */
  loss(logits: tf.Tensor3D, labels: tf.Tensor2D): tf.Scalar {
    return ignoreIndexCrossEntropy(logits, labels);
  }

  /** Loss, metric `token_accuracy` (over non-ignored positions) and logits for dense `-100` labels `[B, T]`. */
  computeWithLabels(
    outputs: EncoderOutputs, labels: tf.Tensor2D, ctx: ApplyContext,
  ): ObjectiveResult & { logits: tf.Tensor3D } {
    const [b, t] = outputs.lastHiddenState.shape;
    if (labels.shape[0] !== b || labels.shape[1] !== t) {
      throw new ConfigError('labels', `[${labels.shape.join(',')}]`, `must have shape [${b},${t}] like the inputs`);
    }
    const logits = this.logits(outputs.lastHiddenState, ctx);
    const loss = this.loss(logits, labels);
    const token_accuracy = tf.tidy(() => {
      const flatLabels = tf.reshape(tf.cast(labels, 'int32'), [b * t]) as tf.Tensor1D; // [B, T] -> [B*T]
      const w = tf.cast(tf.notEqual(flatLabels, tf.scalar(IGNORE_INDEX, 'int32')), 'float32') as tf.Tensor1D;
      const flat = tf.reshape(logits, [b * t, this.numLabels]) as tf.Tensor2D; // [B, T, C] -> [B*T, C]
      return accuracy(flat, flatLabels, w);
    });
    return { loss, metrics: { token_accuracy }, logits };
  }

  /**
   * {@link ObjectiveHead} form: token labels are read from the batch's sparse targets (`mlmPositions`, `mlmIds`,
   * `mlmWeights`, as made by `mlmTargetsFromLabels(labels)` from `-100` labels). Loss `Σ w·CE / Σ w` (0, not NaN,
   * when every weight is 0); metric `token_accuracy`.
   */
  compute(outputs: EncoderOutputs, batch: PretrainingBatch, ctx: ApplyContext): ObjectiveResult {
    return tf.tidy(() => {
      const hidden = gatherPositions(outputs.lastHiddenState, batch.mlmPositions); // [B, P, H]
      const logits = this.logits(hidden, ctx); // [B, P, C]
      const [b, p, c] = logits.shape;
      const flat = tf.reshape(logits, [b * p, c]) as tf.Tensor2D; // [B, P, C] -> [B*P, C]
      const ids = tf.reshape(batch.mlmIds, [-1]) as tf.Tensor1D; // [B, P] -> [B*P]
      const w = tf.reshape(batch.mlmWeights, [-1]) as tf.Tensor1D; // [B, P] -> [B*P]
      return { loss: weightedCrossEntropy(flat, ids, w), metrics: { token_accuracy: accuracy(flat, ids, w) } };
    });
  }
}

/** HF `AlbertForTokenClassification` head: dropout then a `Linear(H, numLabels)` at every position. */
export function tokenClassification(options: TokenClassificationOptions): Objective<TokenClassificationHead> {
  const { numLabels } = options;
  if (!Number.isInteger(numLabels) || numLabels < 1) {
    throw new ConfigError('numLabels', String(numLabels), 'must be a positive integer');
  }
  return {
    name: 'token_classification',
    countParams: (config: AlbertConfig) => config.hiddenSize * numLabels + numLabels,
    build: (ctx: ObjectiveBuildContext) => new TokenClassificationHead(
      ctx, numLabels, options.dropoutProb ?? ctx.config.classifierDropoutProb ?? ctx.config.hiddenDropoutProb),
  };
}
