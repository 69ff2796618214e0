import type { AlbertConfig } from '@albert-ts/core';
import type { OptimizerName } from '@albert-ts/trainer';

/** Largest hidden size that counts as a small model for {@link defaultPretrainRecipe} (albert-tiny and albert-mini). */
export const SMALL_MODEL_MAX_HIDDEN_SIZE = 256;

/** Optimizer and peak learning rate that {@link pretrain} uses when the caller sets neither. */
export interface PretrainRecipe {
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
}

/**
 * The default pretraining recipe of a model. Small models (hidden size ≤ 256) get torch's bias-corrected AdamW at
 * 2e-3, the winner of the learning-rate sweeps in the trainer README (albert-tiny on sotu and the ablation demo's
 * shape on its mixture corpus): AdamW 3e-3 and 5e-3 stayed at the most-frequent-token baseline there, and LAMB, whose
 * trust ratio caps each step's relative change of the tiny attention weights, kept the attention near uniform and
 * scored lower at its best rate. Larger models keep the paper's recipe, LAMB at 0.00176.
 */
export function defaultPretrainRecipe(config: Pick<AlbertConfig, 'hiddenSize'>): PretrainRecipe {
  return config.hiddenSize <= SMALL_MODEL_MAX_HIDDEN_SIZE
    ? { optimizer: 'adamw', learningRate: 2e-3 }
    : { optimizer: 'lamb', learningRate: 0.00176 };
}
