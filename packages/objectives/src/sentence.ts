import * as tf from '@tensorflow/tfjs-core';
import {
  type AlbertConfig, type ApplyContext, ConfigError, type EncoderOutputs, Linear, type Objective,
  type ObjectiveBuildContext, type ObjectiveHead, type ObjectiveResult, type PretrainingBatch,
} from '@albert-ts/core';
import { crossEntropy } from './losses.js';
import { accuracy } from './metrics.js';

/** Options of {@link sop} / {@link nsp}. */
export interface SentenceOptions {
  /** Objective name (loss key, metric prefix). Default `sop` / `nsp`. */
  readonly name?: string;
}

/**
 * Two-way sentence classifier on the pooled output (HF `AlbertSOPHead`): `Linear(H, 2)(dropout(pooled))`,
 * parameters `sop_classifier.classifier.*`. Loss: mean CE against `batch.sentenceLabel`.
 */
export class SentenceHead implements ObjectiveHead {
  readonly classifier: Linear;
  private readonly dropoutProb: number;

  constructor(readonly name: string, ctx: ObjectiveBuildContext) {
    this.classifier = new Linear(ctx.params, 'sop_classifier.classifier', ctx.config.hiddenSize, 2);
    this.dropoutProb = ctx.config.classifierDropoutProb;
  }

  /** `[B, H]` pooled → `[B, 2]` logits (HF `sop_logits`). */
  logits(pooled: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    return tf.tidy(() => this.classifier.apply(ctx ? ctx.dropout(pooled, this.dropoutProb) : pooled));
  }

  compute(outputs: EncoderOutputs, batch: PretrainingBatch, ctx: ApplyContext): ObjectiveResult {
    if (!outputs.poolerOutput) {
      throw new ConfigError('addPoolingLayer', false, `must be true: objective "${this.name}" uses the pooled output`);
    }
    const pooled = outputs.poolerOutput;
    return tf.tidy(() => {
      const logits = this.logits(pooled, ctx);
      return {
        loss: crossEntropy(logits, batch.sentenceLabel),
        metrics: { [`${this.name}_accuracy`]: accuracy(logits, batch.sentenceLabel) },
      };
    });
  }
}

const count = (c: AlbertConfig) => 2 * c.hiddenSize + 2;

/** Sentence-order prediction (ALBERT): label 1 = the two segments were swapped. */
export function sop(options: SentenceOptions = {}): Objective<SentenceHead> {
  const name = options.name ?? 'sop';
  return { name, usesPooler: true, countParams: count, build: (ctx) => new SentenceHead(name, ctx) };
}

/** Next-sentence prediction (BERT): label 1 = segment B is a random sentence. Same head as SOP. */
export function nsp(options: SentenceOptions = {}): Objective<SentenceHead> {
  const name = options.name ?? 'nsp';
  return { name, usesPooler: true, countParams: count, build: (ctx) => new SentenceHead(name, ctx) };
}
