/**
 * Shape and schedule of one benchmark configuration: the reference step of `torch_step.py` (`model: 'reference'`)
 * or the product's own ALBERT pretraining step against `torch_albert_step.py` (`model: 'albert'`).
 */
export interface BenchConfig {
  /** Name printed in the results (`tiny`, `small`, `albert-base`, `reference`, `inference`, ...). */
  name: string;
  /** `reference`: the hand-written mirror of torch_step.py; `albert`: core's model, objectives and trainer step. */
  model: 'reference' | 'albert';
  /** `train`: forward + backward + optimizer; `forward`: inference forward pass only. */
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
  /** FFN size (the reference model uses 4H). */
  intermediate: number;
  /** `albert` only: masked positions per sequence (MLM predictions). */
  masked: number;
  /** Timed steps (after `warmup` untimed ones); for `albert` configurations, one per interleaved round. */
  steps: number;
  warmup: number;
}

const ref = { model: 'reference', hidden: 256, embedding: 128, vocab: 8000, layers: 4, heads: 4, intermediate: 1024, masked: 0, seqLen: 128 } as const;

/** The configurations `pnpm bench` runs, in order. */
export const CONFIGS: Record<string, BenchConfig> = {
  // The ablation demo's shape (apps/ablation preset `demo`, E=32 of its 16-64, all-shared, SOP, 10 predictions).
  tiny: { name: 'tiny', model: 'albert', mode: 'train', batch: 16, microBatch: 16, seqLen: 64, hidden: 64, embedding: 32, vocab: 800, layers: 6, heads: 2, intermediate: 256, masked: 10, steps: 7, warmup: 2 },
  // The `quick` preset's shape (H=128, L=8, E=64, V=2000, T=128, batch 32, 20 predictions).
  small: { name: 'small', model: 'albert', mode: 'train', batch: 32, microBatch: 32, seqLen: 128, hidden: 128, embedding: 64, vocab: 2000, layers: 8, heads: 2, intermediate: 512, masked: 20, steps: 5, warmup: 1 },
  // HF albert-base-v2, effective batch 8 as 2 micro-batches of 4, 20 predictions per sequence (max_predictions_per_seq).
  'albert-base': { name: 'albert-base', model: 'albert', mode: 'train', batch: 8, microBatch: 4, seqLen: 128, hidden: 768, embedding: 128, vocab: 30000, layers: 12, heads: 12, intermediate: 3072, masked: 20, steps: 5, warmup: 1 },
  // Mirrors ../shared/bench/torch_step.py defaults exactly (kept as it was for continuity).
  reference: { ...ref, name: 'reference', mode: 'train', batch: 8, microBatch: 8, steps: 5, warmup: 1 },
  // Inference forward pass of the reference model.
  inference: { ...ref, name: 'inference', mode: 'forward', batch: 8, microBatch: 8, steps: 5, warmup: 1 },
};

/** Tiny sizes for the CI smoke run: seconds, not timings. */
export const SMOKE_CONFIGS: Record<string, BenchConfig> = {
  tiny: { name: 'tiny', model: 'albert', mode: 'train', batch: 2, microBatch: 1, seqLen: 8, hidden: 16, embedding: 8, vocab: 50, layers: 2, heads: 2, intermediate: 32, masked: 2, steps: 1, warmup: 1 },
  reference: { name: 'reference', model: 'reference', mode: 'train', batch: 2, microBatch: 1, seqLen: 8, hidden: 16, embedding: 8, vocab: 50, layers: 2, heads: 2, intermediate: 64, masked: 0, steps: 1, warmup: 1 },
  inference: { name: 'inference', model: 'reference', mode: 'forward', batch: 2, microBatch: 2, seqLen: 8, hidden: 16, embedding: 8, vocab: 50, layers: 2, heads: 2, intermediate: 64, masked: 0, steps: 1, warmup: 0 },
};

/**
 * Model FLOPs of one step: 6 per multiply-accumulate for training, 2 for a forward pass. `reference` counts exactly
 * like torch_step.py (logits at every token); `albert` scores the vocabulary at the masked positions only.
 */
export function stepFlops(c: BenchConfig): number {
  const tok = c.batch * c.seqLen;
  const perLayer = 4 * c.hidden * c.hidden + 2 * c.hidden * c.intermediate;
  const dh = c.hidden / c.heads;
  const scored = c.model === 'albert' ? c.batch * c.masked : tok;
  const train =
    6 * tok * (c.layers * perLayer + c.embedding * c.hidden) + 6 * scored * (c.hidden * c.embedding + c.embedding * c.vocab) +
    6 * c.layers * c.batch * c.heads * c.seqLen * c.seqLen * dh * 2;
  return c.mode === 'train' ? train : train / 3;
}
