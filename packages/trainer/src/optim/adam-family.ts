import * as tf from '@tensorflow/tfjs-core';
import { FUSED_KERNELS, hasKernels, runKernel } from '@albert-ts/core';
import { TrainerError } from '../errors.js';
import { DEFAULT_DECAY_EXCLUSIONS, usesWeightDecay } from './decay.js';
import type { AdamFamilyOptions, Optimizer } from './optimizer.js';
import { MomentSlots, type NamedArray } from './slots.js';

/** What distinguishes the members of the family besides {@link AdamFamily.trustRatio}. */
export interface AdamFamilyDefaults {
  /** Default ε when the options give none. */
  readonly epsilon: number;
  /** Divide the moments by `1 - β^t` (torch's AdamW) or not (google-research's AdamW and LAMB). */
  readonly biasCorrection: boolean;
}

/**
 * The update shared by AdamW (torch's and google-research's) and LAMB, for one parameter updated for the t-th time:
 *
 * ```
 * m' = β1·m + (1-β1)·g;  v' = β2·v + (1-β2)·g²
 * u  = m' / (sqrt(v') + ε)  [+ wd·w unless the name matches an exclusion]
 * w' = w - r·lr·u            (r from {@link AdamFamily.trustRatio}: 1 for AdamW)
 * ```
 *
 * With bias correction (torch.optim.AdamW: `w' = w·(1 - lr·wd) - lr·m̂/(sqrt(v̂) + ε)`, m̂ = m'/(1-β1^t),
 * v̂ = v'/(1-β2^t)) the same update runs with `lr·sqrt(1-β2^t)/(1-β1^t)` for lr, `ε·sqrt(1-β2^t)` for ε and
 * `wd·(1-β1^t)/sqrt(1-β2^t)` for wd, which is algebraically that step; the per-parameter `t` is kept in the slots
 * (`<param>/step`).
 *
 * Where the backend registers core's fused `AlbertAdamUpdate` kernel (wasm), each tensor's update is that one
 * kernel; elsewhere (cpu, webgl, ...) it is the composite of tfjs ops below.
 */
export abstract class AdamFamily implements Optimizer {
  abstract readonly name: string;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecayRate: number;
  readonly biasCorrection: boolean;
  protected readonly exclusions: readonly RegExp[];
  private readonly slots: MomentSlots;

  constructor(options: AdamFamilyOptions, defaults: AdamFamilyDefaults) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? defaults.epsilon;
    this.weightDecayRate = options.weightDecayRate ?? 0.01;
    this.biasCorrection = defaults.biasCorrection;
    this.exclusions = options.excludeFromWeightDecay ?? DEFAULT_DECAY_EXCLUSIONS;
    this.slots = new MomentSlots(this.biasCorrection);
    const check = (field: string, v: number, ok: boolean, rule: string) => {
      if (!ok) throw new TrainerError(`${field}: ${v} ${rule}`, { field, value: v });
    };
    check('beta1', this.beta1, this.beta1 >= 0 && this.beta1 < 1, 'must be in [0, 1)');
    check('beta2', this.beta2, this.beta2 >= 0 && this.beta2 < 1, 'must be in [0, 1)');
    check('epsilon', this.epsilon, this.epsilon > 0 && Number.isFinite(this.epsilon), 'must be a positive finite number');
    check('weightDecayRate', this.weightDecayRate, this.weightDecayRate >= 0 && Number.isFinite(this.weightDecayRate),
      'must be a non-negative finite number');
  }

  get hyperparameters(): Readonly<Record<string, number>> {
    return {
      beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecayRate: this.weightDecayRate,
      biasCorrection: this.biasCorrection ? 1 : 0,
    };
  }

  /** Per-parameter factor on `lr·u` (called inside a tidy). */
  protected abstract trustRatio(name: string, param: tf.Variable, update: tf.Tensor): tf.Tensor | number;

  /** True when `name` gets LAMB's trust ratio (the fused kernel computes it itself). */
  protected layerAdaptation(_name: string): boolean {
    return false;
  }

  /** lr, ε and weight decay of the uncorrected update that equals this parameter's step (see the class comment). */
  private effective(name: string, learningRate: number): { lr: number; eps: number; wd: number } {
    const wd = usesWeightDecay(name, this.weightDecayRate, this.exclusions) ? this.weightDecayRate : 0;
    if (!this.biasCorrection) return { lr: learningRate, eps: this.epsilon, wd };
    const t = this.slots.tick(name);
    const bc1 = 1 - Math.pow(this.beta1, t);
    const rootBc2 = Math.sqrt(1 - Math.pow(this.beta2, t));
    return { lr: (learningRate * rootBc2) / bc1, eps: this.epsilon * rootBc2, wd: (wd * bc1) / rootBc2 };
  }

  applyGradients(params: Map<string, tf.Variable>, grads: Map<string, tf.Tensor>, learningRate: number): void {
    const fused = hasKernels(FUSED_KERNELS.adamUpdate);
    for (const [name, param] of params) {
      const grad = grads.get(name);
      if (grad === undefined) continue;
      const { m, v } = this.slots.get(name, param.shape);
      const { lr, eps, wd } = this.effective(name, learningRate);
      if (fused && param.dtype === 'float32' && grad.dtype === 'float32') {
        tf.tidy(() => {
          const [next, nextM, nextV] = runKernel(FUSED_KERNELS.adamUpdate, { param, m, v, grad }, {
            beta1: this.beta1, beta2: this.beta2, epsilon: eps, weightDecay: wd, learningRate: lr,
            layerAdaptation: this.layerAdaptation(name),
          });
          param.assign(next!);
          m.assign(nextM!);
          v.assign(nextV!);
        });
        continue;
      }
      tf.tidy(() => {
        const nextM = tf.add(tf.mul(this.beta1, m), tf.mul(1 - this.beta1, grad));
        const nextV = tf.add(tf.mul(this.beta2, v), tf.mul(1 - this.beta2, tf.square(grad)));
        let update = tf.div(nextM, tf.add(tf.sqrt(nextV), eps));
        if (wd > 0) update = tf.add(update, tf.mul(wd, param));
        const ratio = this.trustRatio(name, param, update);
        const scaled = ratio === 1 ? tf.mul(lr, update) : tf.mul(tf.mul(ratio, lr), update);
        param.assign(tf.sub(param, scaled));
        m.assign(nextM);
        v.assign(nextV);
      });
    }
  }

  exportSlots(): Map<string, NamedArray> {
    return this.slots.export();
  }

  importSlots(slots: Map<string, NamedArray>, shapes?: Map<string, number[]>): void {
    this.slots.import(slots, shapes);
  }

  dispose(): void {
    this.slots.dispose();
  }
}
