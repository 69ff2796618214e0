import { AdamFamily } from './adam-family.js';

/**
 * AdamW as google-research/albert (and BERT) `AdamWeightDecayOptimizer` implements it:
 *
 * ```
 * m' = β1·m + (1-β1)·g;  v' = β2·v + (1-β2)·g²            (no bias correction)
 * u  = m' / (sqrt(v') + ε)  [+ wd·w unless the name matches an exclusion]
 * w' = w - lr·u
 * ```
 */
export class AdamW extends AdamFamily {
  readonly name = 'adamw';

  protected trustRatio(): number {
    return 1;
  }
}
