// Figure 1 of the paper: for each layer, the L2 distance and the angle (degrees, from the cosine similarity)
// between the layer's input and output embeddings, averaged over the non-padding tokens of held-out text.
import * as tf from '@tensorflow/tfjs-core';

/** Geometry of one layer (field names as in the ablation report's results.json). */
export interface LayerGeometry {
  /** Mean L2 distance over non-padding tokens. */
  l2: number;
  /** Mean angle in degrees between input and output vectors (arccos of cosine similarity). */
  cosine_deg: number;
  /** Standard deviations over tokens (for intervals). */
  l2_sd: number;
  cosine_deg_sd: number;
  /** Tokens averaged over. */
  tokens: number;
}

/** Running sums for one layer (float64 on the JS side). */
interface Sums {
  n: number;
  l2: number;
  l2sq: number;
  deg: number;
  degsq: number;
}

/**
 * Per-token L2 distance and cosine between consecutive hidden states, stacked as `[L, 2, B, T]` (layer l: input
 * entry l, output entry l + 1). The caller owns the result.
 */
function distancesAndCosines(hiddenStates: readonly tf.Tensor3D[]): tf.Tensor {
  if (hiddenStates.length < 2) throw new RangeError(`geometry: need at least 2 hidden states, got ${hiddenStates.length}`);
  return tf.tidy(() => tf.stack(hiddenStates.slice(1).map((y, i) => {
    const x = hiddenStates[i];
    const dist = tf.norm(tf.sub(y, x), 'euclidean', -1); // [B, T, H] -> [B, T]
    const dot = tf.sum(tf.mul(x, y), -1); // [B, T]
    const nx = tf.norm(x, 'euclidean', -1); // [B, T]
    const ny = tf.norm(y, 'euclidean', -1); // [B, T]
    const cos = tf.div(dot, tf.maximum(tf.mul(nx, ny), 1e-12)); // [B, T]
    return tf.stack([dist, cos]); // [2, B, T]
  }))); // [L, 2, B, T]
}

/**
 * Accumulates per-layer geometry over batches. `add` (or `addAsync`, which reads GPU results without blocking)
 * takes the model's hidden states (L+1 tensors `[B, T, H]`: entry 0 is the encoder input, entry i the output of
 * layer i) and the attention mask `[B, T]`; it does not dispose them.
 */
export class GeometryAccumulator {
  private sums: Sums[] = [];

  /** Adds one batch (synchronous reads). */
  add(hiddenStates: readonly tf.Tensor3D[], attentionMask: tf.Tensor2D): void {
    const values = distancesAndCosines(hiddenStates);
    try {
      this.accumulate(values.dataSync(), attentionMask.dataSync());
    } finally {
      values.dispose();
    }
  }

  /** Adds one batch, reading the results asynchronously (no blocking GPU read-back on webgpu/webgl). */
  async addAsync(hiddenStates: readonly tf.Tensor3D[], attentionMask: tf.Tensor2D): Promise<void> {
    const values = distancesAndCosines(hiddenStates);
    try {
      const [v, mask] = await Promise.all([values.data(), attentionMask.data()]);
      this.accumulate(v, mask);
    } finally {
      values.dispose();
    }
  }

  /** `values`: `[L, 2, B, T]` from {@link distancesAndCosines}; `mask`: `[B, T]`. */
  private accumulate(values: ArrayLike<number>, mask: ArrayLike<number>): void {
    const tokens = mask.length;
    const layers = values.length / (2 * tokens);
    for (let l = 0; l < layers; l++) {
      const s = (this.sums[l] ??= { n: 0, l2: 0, l2sq: 0, deg: 0, degsq: 0 });
      for (let k = 0; k < tokens; k++) {
        if (mask[k] === 0) continue;
        const d = values[(2 * l) * tokens + k];
        const cos = values[(2 * l + 1) * tokens + k];
        const deg = (Math.acos(Math.min(1, Math.max(-1, cos))) * 180) / Math.PI;
        s.n++;
        s.l2 += d;
        s.l2sq += d * d;
        s.deg += deg;
        s.degsq += deg * deg;
      }
    }
  }

  /** Mean and standard deviation per layer (layer 1 first). */
  result(): LayerGeometry[] {
    const sd = (sum: number, sq: number, n: number) => (n > 1 ? Math.sqrt(Math.max(0, (sq - (sum * sum) / n) / (n - 1))) : 0);
    return this.sums.map((s) => ({
      l2: s.l2 / s.n,
      cosine_deg: s.deg / s.n,
      l2_sd: sd(s.l2, s.l2sq, s.n),
      cosine_deg_sd: sd(s.deg, s.degsq, s.n),
      tokens: s.n,
    }));
  }
}
