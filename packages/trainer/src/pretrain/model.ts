import * as tf from '@tensorflow/tfjs-core';
import {
  type AlbertConfig, type AlbertForPreTraining, type ObjectiveHead, type PretrainingBatch, type SharingStrategy,
  createApplyContext, createPretrainingModel,
} from '@albert-ts/core';
import { factorized } from '@albert-ts/embeddings';
import { mlm, nsp, sop } from '@albert-ts/objectives';
import type { SentenceObjective } from '@albert-ts/data';

/** An ALBERT pretraining model with an MLM head and one sentence head (SOP or NSP; both `sop_classifier.*`). */
export interface PretrainingSetup {
  readonly model: AlbertForPreTraining;
  readonly mlmHead: ObjectiveHead;
  /** Trained with objective `sop`/`nsp`; with `none` it exists (untrained) so NSP/SOP accuracy can be measured. */
  readonly sentenceHead: ObjectiveHead;
  /** Heads whose losses are summed during training. */
  readonly trainingHeads: readonly ObjectiveHead[];
}

/**
 * Builds the model for `objective`. The sentence head is always built (as the paper's Table 5 reports NSP and SOP
 * accuracy for every objective) but contributes to the loss only when the objective is `sop` or `nsp`.
 */
export function buildPretrainingSetup(
  config: AlbertConfig, objective: SentenceObjective, seed: number, sharing?: SharingStrategy,
): PretrainingSetup {
  const sentence = objective === 'nsp' ? nsp() : sop();
  const model = createPretrainingModel(config, {
    embeddings: factorized(), sharing, seed, objectives: [mlm(), sentence],
  });
  const mlmHead = model.head('mlm')!;
  const sentenceHead = model.head(sentence.name)!;
  return { model, mlmHead, sentenceHead, trainingHeads: objective === 'none' ? [mlmHead] : [mlmHead, sentenceHead] };
}

/** Per-head losses and metrics of one forward pass (tensors owned by the caller's scope). */
export interface ForwardResult {
  readonly loss: tf.Scalar;
  readonly losses: Record<string, tf.Scalar>;
  readonly metrics: Record<string, tf.Scalar>;
}

/**
 * One forward pass through the backbone and `heads` (same dropout-seed scheme as core's
 * `AlbertForPreTraining.compute`: the heads' stream is the encoder's seed xor a constant).
 */
export function forward(
  setup: PretrainingSetup, heads: readonly ObjectiveHead[], batch: PretrainingBatch, training: boolean, dropoutSeed: number,
): ForwardResult {
  const outputs = setup.model.albert.apply(
    { inputIds: batch.inputIds, tokenTypeIds: batch.tokenTypeIds, attentionMask: batch.attentionMask },
    { training, dropoutSeed },
  );
  const ctx = createApplyContext({ training, dropoutSeed: (dropoutSeed ^ 0x68e31da4) >>> 0 });
  const losses: Record<string, tf.Scalar> = {};
  const metrics: Record<string, tf.Scalar> = {};
  let loss: tf.Scalar | undefined;
  for (const head of heads) {
    const r = head.compute(outputs, batch, ctx);
    losses[head.name] = r.loss;
    Object.assign(metrics, r.metrics);
    loss = loss === undefined ? r.loss : (tf.add(loss, r.loss) as tf.Scalar);
  }
  return { loss: loss ?? tf.scalar(0), losses, metrics };
}
