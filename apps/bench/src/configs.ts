/** Shape and schedule of one benchmark configuration (the reference step of `torch_step.py`, scaled). */
export interface BenchConfig {
  /** Name printed in the results (`reference`, `albert-base`, `inference`, ...). */
  name: string;
  /** `train`: forward + backward + Adam; `forward`: inference forward pass only. */
  mode: 'train' | 'forward';
  /** Sequences per optimizer step (effective batch). */
  batch: number;
  /** Sequences per micro-batch; gradients are accumulated over `batch / microBatch` micro-batches. */
  microBatch: number;
  seqLen: number;
  hidden: number;
  embedding: number;
  vocab: number;
  layers: number;
  heads: number;
  /** Timed steps (after `warmup` untimed ones). */
  steps: number;
  warmup: number;
}

/** The configurations `pnpm bench` runs, in order. */
export const CONFIGS: Record<string, BenchConfig> = {
  // Mirrors ../shared/bench/torch_step.py defaults exactly.
  reference: { name: 'reference', mode: 'train', batch: 8, microBatch: 8, seqLen: 128, hidden: 256, embedding: 128, vocab: 8000, layers: 4, heads: 4, steps: 3, warmup: 1 },
  // ALBERT-base shape (all-shared, like the reference step), effective batch 8 as 4 micro-batches of 2: the
  // largest micro-batch that fits the 4 GiB wasm heap (heap high-water ~2.1 GiB at 2, ~1.3 GiB at 1; 4 exhausts it).
  'albert-base': { name: 'albert-base', mode: 'train', batch: 8, microBatch: 2, seqLen: 128, hidden: 768, embedding: 128, vocab: 30000, layers: 12, heads: 12, steps: 2, warmup: 1 },
  // Inference forward pass of the reference model.
  inference: { name: 'inference', mode: 'forward', batch: 8, microBatch: 8, seqLen: 128, hidden: 256, embedding: 128, vocab: 8000, layers: 4, heads: 4, steps: 5, warmup: 1 },
};

/** Tiny sizes for the CI smoke run: seconds, not timings. */
export const SMOKE_CONFIGS: Record<string, BenchConfig> = {
  reference: { name: 'reference', mode: 'train', batch: 2, microBatch: 1, seqLen: 8, hidden: 16, embedding: 8, vocab: 50, layers: 2, heads: 2, steps: 1, warmup: 1 },
  inference: { name: 'inference', mode: 'forward', batch: 2, microBatch: 2, seqLen: 8, hidden: 16, embedding: 8, vocab: 50, layers: 2, heads: 2, steps: 1, warmup: 0 },
};

/** Model FLOPs of one step, counted exactly like torch_step.py (6 per MAC for training, 2 for a forward pass). */
export function stepFlops(c: BenchConfig): number {
  const tok = c.batch * c.seqLen;
  const ff = 4 * c.hidden;
  const perLayer = 4 * c.hidden * c.hidden + 2 * c.hidden * ff;
  const dh = c.hidden / c.heads;
  const train =
    6 * tok * (c.layers * perLayer + c.embedding * c.hidden + c.hidden * c.embedding + c.embedding * c.vocab) +
    6 * c.layers * c.batch * c.heads * c.seqLen * c.seqLen * dh * 2;
  return c.mode === 'train' ? train : train / 3;
}
