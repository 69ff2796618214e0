import * as tf from '@tensorflow/tfjs-core';
import type {
  AlbertConfig, ApplyContext, EncoderOutputs, Objective, ObjectiveBuildContext, ObjectiveHead, ObjectiveResult,
  PretrainingBatch,
} from '@albert-ts/core';
import { ConfigError } from '@albert-ts/core';
import { classifierDiagnostics } from './classifier-diagnostics.js';

/** HF `problem_type` values supported by {@link sequenceClassification}. */
export type SequenceProblemType = 'single_label_classification' | 'regression';

/** Options of {@link sequenceClassification}. */
export interface SequenceClassificationOptions {
  /** Number of classes; 1 means regression (HF `num_labels`). */
  numLabels: number;
  /** Defaults as HF infers it: `regression` when `numLabels` is 1, `single_label_classification` otherwise. */
  problemType?: SequenceProblemType;
  /** Dropout on the pooled output; defaults to the config's `classifierDropoutProb` (HF: else hidden dropout). */
  dropoutProb?: number;
}

/**
 * The built head of {@link sequenceClassification}: `logits = classifier(dropout(pooled))` with a
 * `Linear(H, numLabels)` named `classifier.weight` (`[H, numLabels]` here, `[numLabels, H]` in torch files) and
 * `classifier.bias`.
 */
export class SequenceClassificationHead implements ObjectiveHead {
  readonly name = 'sequence_classification';
  /** `[H, numLabels]`. */
  readonly weight: tf.Variable;
  /** `[numLabels]`. */
  readonly bias: tf.Variable;

  constructor(
    ctx: ObjectiveBuildContext,
    readonly numLabels: number,
    readonly problemType: SequenceProblemType,
    private readonly dropoutProb: number,
  ) {
    this.weight = ctx.params.create('classifier.weight', [ctx.config.hiddenSize, numLabels], 'normal', 'linear');
    this.bias = ctx.params.create('classifier.bias', [numLabels], 'zeros');
  }

  /** `[B, H]` pooled output → `[B, numLabels]` logits. */
  logits(pooled: tf.Tensor2D, ctx: ApplyContext): tf.Tensor2D {
    return tf.tidy(() => tf.add(tf.matMul(ctx.dropout(pooled, this.dropoutProb), this.weight), this.bias));
  }

  /**
   * HF loss: mean cross-entropy over B for single-label classification (`labels` int32 `[B]`), or
   * `MSELoss(logits.squeeze(), labels)` = `mean((logits[:, 0] - y)²)` for regression (`labels` float `[B]`).
   */
  loss(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => {
      if (this.problemType === 'regression') {
        const b = logits.shape[0];
        const pred = tf.reshape(logits, [b]); // [B, 1] -> [B]
        return tf.mean(tf.square(tf.sub(pred, tf.cast(labels, 'float32')))) as tf.Scalar;
      }
      const logProbs = tf.logSoftmax(logits); // [B, C]
      const onehot = tf.oneHot(tf.cast(labels, 'int32'), this.numLabels); // [B, C]
      return tf.neg(tf.mean(tf.sum(tf.mul(logProbs, onehot), -1))) as tf.Scalar;
    });
  }

  /** Loss and metrics (`accuracy` for classification, `mse` for regression) for explicit labels. */
  computeWithLabels(outputs: EncoderOutputs, labels: tf.Tensor1D, ctx: ApplyContext): ObjectiveResult & { logits: tf.Tensor2D } {
    if (outputs.poolerOutput === undefined) {
      throw new ConfigError('poolerOutput', 'undefined', 'sequence classification needs a model with a pooler');
    }
    const logits = this.logits(outputs.poolerOutput, ctx);
    const loss = this.loss(logits, labels);
    const metrics: Record<string, tf.Scalar> = this.problemType === 'regression'
      ? { mse: tf.clone(loss) }
      : {
        accuracy: tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, -1), tf.cast(labels, 'int32')), 'float32')) as tf.Scalar),
      };
    return { loss, metrics, logits };
  }

  /**
   * {@link ObjectiveHead} form: the class label (or regression target) is read from `batch.sentenceLabel`. For
   * classification the metrics also hold the collapse diagnostics of {@link classifierDiagnostics}
   * (`pooled_spread`, `prediction_entropy`, `top_class_fraction`), which a training monitor watches.
   */
  compute(outputs: EncoderOutputs, batch: PretrainingBatch, ctx: ApplyContext): ObjectiveResult {
    const { loss, metrics, logits } = this.computeWithLabels(outputs, batch.sentenceLabel, ctx);
    const more = this.problemType === 'regression' ? {} : classifierDiagnostics(outputs.poolerOutput!, logits);
    logits.dispose();
    return { loss, metrics: { ...metrics, ...more } };
  }
}

/**
 * HF `AlbertForSequenceClassification` head: dropout then a Linear on the pooled output; single-label
 * cross-entropy, or MSE regression when `numLabels` is 1.
 */
export function sequenceClassification(options: SequenceClassificationOptions): Objective<SequenceClassificationHead> {
  const { numLabels } = options;
  if (!Number.isInteger(numLabels) || numLabels < 1) {
    throw new ConfigError('numLabels', String(numLabels), 'must be a positive integer');
  }
  const problemType = options.problemType ?? (numLabels === 1 ? 'regression' : 'single_label_classification');
  if (problemType === 'regression' && numLabels !== 1) {
    throw new ConfigError('numLabels', String(numLabels), 'must be 1 for regression');
  }
  return {
    name: 'sequence_classification',
    usesPooler: true,
    countParams: (config: AlbertConfig) => config.hiddenSize * numLabels + numLabels,
    build: (ctx: ObjectiveBuildContext) => new SequenceClassificationHead(
      ctx, numLabels, problemType, options.dropoutProb ?? ctx.config.classifierDropoutProb ?? ctx.config.hiddenDropoutProb),
  };
}
