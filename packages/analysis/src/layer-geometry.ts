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
 * Accumulates per-layer geometry over batches. `add` takes the model's hidden states (L+1 tensors
 * `[B, T, H]`: entry 0 is the encoder input, entry i the output of layer i) and the attention mask `[B, T]`;
 * it does not dispose them.
 */
export class GeometryAccumulator {
  private sums: Sums[] = [];

  /** Adds one batch. */
  add(hiddenStates: readonly tf.Tensor3D[], attentionMask: tf.Tensor2D): void {
    if (hiddenStates.length < 2) throw new RangeError(`geometry: need at least 2 hidden states, got ${hiddenStates.length}`);
    const mask = attentionMask.dataSync();
    for (let i = 1; i < hiddenStates.length; i++) {
      const [l2, cos] = tf.tidy(() => {
        const x = hiddenStates[i - 1];
        const y = hiddenStates[i];
        const dist = tf.norm(tf.sub(y, x), 'euclidean', -1); // [B, T, H] -> [B, T]
        const dot = tf.sum(tf.mul(x, y), -1); // [B, T]
        const nx = tf.norm(x, 'euclidean', -1); // [B, T]
        const ny = tf.norm(y, 'euclidean', -1); // [B, T]
        const c = tf.div(dot, tf.maximum(tf.mul(nx, ny), 1e-12)); // [B, T]
        return [dist.dataSync(), c.dataSync()];
      });
      const s = (this.sums[i - 1] ??= { n: 0, l2: 0, l2sq: 0, deg: 0, degsq: 0 });
      for (let k = 0; k < mask.length; k++) {
        if (mask[k] === 0) continue;
        const d = l2[k];
        const deg = (Math.acos(Math.min(1, Math.max(-1, cos[k]))) * 180) / Math.PI;
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
