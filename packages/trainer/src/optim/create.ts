import { TrainerError } from '../errors.js';
import { AdamW, AdamWeightDecay } from './adamw.js';
import { Lamb } from './lamb.js';
import type { AdamFamilyOptions, Optimizer } from './optimizer.js';

/**
 * Optimizer names accepted by {@link createOptimizer}: `adamw` is torch.optim.AdamW (bias-corrected, as HF's Trainer),
 * `adamw-uncorrected` google-research/albert's AdamWeightDecayOptimizer (no bias correction), `lamb` google-research's
 * LAMB (no bias correction).
 */
export const OPTIMIZER_NAMES = ['adamw', 'adamw-uncorrected', 'lamb'] as const;

/** One of {@link OPTIMIZER_NAMES}. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Builds an optimizer by name ({@link OPTIMIZER_NAMES}); throws a TrainerError naming the field for any other. */
export function createOptimizer(name: string, options: AdamFamilyOptions = {}): Optimizer {
  if (name === 'adamw') return new AdamW(options);
  if (name === 'adamw-uncorrected') return new AdamWeightDecay(options);
  if (name === 'lamb') return new Lamb(options);
  throw new TrainerError(`optimizer: '${name}' is not one of ${OPTIMIZER_NAMES.join(', ')}`, { field: 'optimizer', value: name });
}
