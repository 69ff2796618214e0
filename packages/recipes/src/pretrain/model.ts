import {
  type AlbertConfig, type AlbertForPreTraining, type EmbeddingModule, type SharingStrategy, createPretrainingModel,
} from '@albert-ts/core';
import type { SentenceObjective } from '@albert-ts/data';
import { factorized } from '@albert-ts/embeddings';
import { mlm, nsp, sop } from '@albert-ts/objectives';

/** An ALBERT pretraining model and the names of the heads its loss trains. */
export interface PretrainingModel {
  /** Backbone + MLM head + one sentence head (`sop` or `nsp`, both saved as HF's `sop_classifier.*`). */
  readonly model: AlbertForPreTraining;
  /** Name of the sentence head. */
  readonly sentenceHead: 'sop' | 'nsp';
  /** Heads whose losses are summed during training: `['mlm']` for objective `none`, else both. */
  readonly trainingHeads: readonly string[];
}

/**
 * The model of a pretraining run. The sentence head is always built (the paper's Table 5 reports NSP and SOP
 * accuracy for every objective) but is trained only when the objective is `sop` or `nsp`.
 */
export function pretrainingModel(
  config: AlbertConfig, objective: SentenceObjective,
  options: { seed?: number; sharing?: SharingStrategy; embeddings?: EmbeddingModule } = {},
): PretrainingModel {
  const sentenceHead = objective === 'nsp' ? 'nsp' : 'sop';
  const model = createPretrainingModel(config, {
    embeddings: options.embeddings ?? factorized(), sharing: options.sharing, seed: options.seed,
    objectives: [mlm(), sentenceHead === 'nsp' ? nsp() : sop()],
  });
  return { model, sentenceHead, trainingHeads: objective === 'none' ? ['mlm'] : ['mlm', sentenceHead] };
}
