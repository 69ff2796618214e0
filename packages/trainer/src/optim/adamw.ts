import { AdamFamily } from './adam-family.js';
import type { AdamFamilyOptions } from './optimizer.js';

/**
 * AdamW as torch.optim.AdamW and HF's Trainer use it (`'adamw'`), with bias correction:
 *
 * ```
 * m' = β1·m + (1-β1)·g;  v' = β2·v + (1-β2)·g²;  t = this parameter's update count (1, 2, ...)
 * w' = w·(1 - lr·wd) - lr · (m'/(1-β1^t)) / (sqrt(v'/(1-β2^t)) + ε)      (wd = 0 for LayerNorm/bias names)
 * ```
 *
 * Defaults are torch's (β1 0.9, β2 0.999, ε 1e-8, weight decay 0.01), with HF Trainer's exclusion of LayerNorm and
 * bias parameters from weight decay. The step count `t` of each parameter is part of the optimizer state
 * (`<param>/step`), so a resumed run continues exactly. Without bias correction ({@link AdamWeightDecay}) an
 * update is (1-β1^t)/sqrt(1-β2^t) times this one (ε aside): ×6.5 at t = 10 and ×3.2 at t = 100 with the default βs.
 */
export class AdamW extends AdamFamily {
  readonly name = 'adamw';

  constructor(options: AdamFamilyOptions = {}) {
    super(options, { epsilon: 1e-8, biasCorrection: true });
  }

  protected trustRatio(): number {
    return 1;
  }
}

/**
 * AdamW as google-research/albert (and BERT) `AdamWeightDecayOptimizer` implements it (`'adamw-uncorrected'`):
 *
 * ```
 * m' = β1·m + (1-β1)·g;  v' = β2·v + (1-β2)·g²            (no bias correction)
 * u  = m' / (sqrt(v') + ε)  [+ wd·w unless the name matches an exclusion]
 * w' = w - lr·u
 * ```
 *
 * Defaults are google-research's (ε 1e-6, weight decay 0.01, LayerNorm/bias excluded). Kept for reproducing the
 * reference ALBERT runs (the `hf-train` fixtures use it); for new runs prefer {@link AdamW}.
 */
export class AdamWeightDecay extends AdamFamily {
  readonly name = 'adamw-uncorrected';

  constructor(options: AdamFamilyOptions = {}) {
    super(options, { epsilon: 1e-6, biasCorrection: false });
  }

  protected trustRatio(): number {
    return 1;
  }
}
