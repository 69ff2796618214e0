import * as tf from '@tensorflow/tfjs-core';
import { AdamFamily } from './adam-family.js';
import type { AdamFamilyOptions } from './optimizer.js';

/**
 * LAMB exactly as google-research/albert `lamb_optimizer.py` implements it:
 *
 * ```
 * m' = β1·m + (1-β1)·g;  v' = β2·v + (1-β2)·g²            (no bias correction)
 * u  = m' / (sqrt(v') + ε)  [+ wd·w unless the name matches an exclusion]
 * r  = ‖w‖/‖u‖ if both norms > 0 else 1                    (r = 1 for excluded names: no layer adaptation)
 * w' = w - r·lr·u
 * ```
 */
export class Lamb extends AdamFamily {
  readonly name = 'lamb';

  constructor(options: AdamFamilyOptions = {}) {
    super(options, { epsilon: 1e-6, biasCorrection: false });
  }

  /**
   * Layer adaptation is skipped for the same names that skip weight decay (exclude_from_layer_adaptation
   * defaults to exclude_from_weight_decay in the reference).
   */
  protected override layerAdaptation(name: string): boolean {
    return !this.exclusions.some((r) => r.test(name));
  }

  protected trustRatio(name: string, param: tf.Variable, update: tf.Tensor): tf.Tensor | number {
    if (!this.layerAdaptation(name)) return 1;
    const wNorm = tf.norm(param);
    const uNorm = tf.norm(update);
    const one = tf.onesLike(wNorm);
    return tf.where(tf.greater(wNorm, 0), tf.where(tf.greater(uNorm, 0), tf.div(wNorm, uNorm), one), one);
  }
}
