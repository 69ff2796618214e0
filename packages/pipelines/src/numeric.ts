// Small numeric helpers on plain arrays (the pipelines' post-processing, as HF does it with numpy).

/** Softmax of `x` (max-shifted, float64). */
export function softmax(x: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i]! > max) max = x[i]!;
  const e = Array.from(x, (v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** Elementwise logistic sigmoid. */
export function sigmoid(x: ArrayLike<number>): number[] {
  return Array.from(x, (v) => 1 / (1 + Math.exp(-v)));
}

/** Indices of the `k` largest values, largest first (ties: lower index first). */
export function topK(x: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: x.length }, (_, i) => i);
  idx.sort((a, b) => (x[b]! - x[a]!) || a - b);
  return idx.slice(0, Math.max(0, k));
}
