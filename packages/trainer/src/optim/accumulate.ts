import * as tf from '@tensorflow/tfjs-core';

/**
 * Sums gradients over micro-batches and hands back their mean, so `k` accumulated micro-batches of size `B/k`
 * give the gradient of one batch of size `B` (when each micro-batch loss is a mean over equal-sized batches).
 */
export class GradientAccumulator {
  private sums = new Map<string, tf.Tensor>();
  private count = 0;

  /** Number of micro-batches added since the last {@link take}. */
  get size(): number {
    return this.count;
  }

  /** Adds one micro-batch's gradients (the inputs stay owned by the caller). */
  add(grads: Map<string, tf.Tensor>): void {
    for (const [name, g] of grads) {
      const prev = this.sums.get(name);
      this.sums.set(name, prev === undefined ? tf.clone(g) : tf.tidy(() => tf.add(prev, g)));
      prev?.dispose();
    }
    this.count += 1;
  }

  /** Returns the mean of the added gradients (caller owns them) and resets. */
  take(): Map<string, tf.Tensor> {
    const n = this.count;
    const out = new Map<string, tf.Tensor>();
    for (const [name, s] of this.sums) {
      out.set(name, n === 1 ? s : tf.tidy(() => tf.div(s, n)));
      if (n !== 1) s.dispose();
    }
    this.sums = new Map();
    this.count = 0;
    return out;
  }

  /** Frees any pending sums. */
  dispose(): void {
    for (const s of this.sums.values()) s.dispose();
    this.sums.clear();
    this.count = 0;
  }
}
