// The tiny training step the harness measures: the playground's default variant (albert-tiny, E=64, all-shared,
// MLM + SOP, seed 0) trained on batches of the bundled corpus through the worker's own code (`trainModel`, the
// trainer's `train()`). No DOM: the browser harness and the Node throughput script both run it.
import { type AlbertConfig, type AlbertForPreTraining, createPretrainingModel } from '@albert-ts/core';
import type { PretrainingInstance } from '@albert-ts/data';
import { factorized } from '@albert-ts/embeddings';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { DEFAULT_VARIANT, variantConfig, variantObjectives, variantSharing } from '../src/variant.js';
import { parseCorpus, TOKENS_PER_BATCH, trainingBatches, trainingInstances } from '../src/worker/dataset.js';
import { trainModel } from '../src/worker/train.js';

/** Settings of the measured runs (the page's defaults). */
export const TINY_SETTINGS = { learningRate: 5e-3, optimizer: 'adamw', seed: 0 } as const;

/** Training instances of the default variant's objective, from the bundled `spiece.model` and `corpus.txt`. */
export async function tinyInstances(spiece: Uint8Array, corpusText: string): Promise<PretrainingInstance[]> {
  return trainingInstances(await parseCorpus(corpusText), AlbertTokenizer.fromBytes(spiece), DEFAULT_VARIANT.objective);
}

/**
 * Model sizes: `tiny` is the playground's default variant; `micro` shrinks it (E=16, H=32, L=2, same vocabulary,
 * batches and heads) for the wasm-vs-webgpu test, since SwiftShader (a CPU emulation of a GPU) takes seconds per
 * tiny step.
 */
export const HARNESS_SIZES = {
  tiny: {},
  micro: { embeddingSize: 16, hiddenSize: 32, numAttentionHeads: 2, intermediateSize: 64, numHiddenLayers: 2 },
} as const satisfies Record<string, Partial<AlbertConfig>>;
export type HarnessSize = keyof typeof HARNESS_SIZES;

function tinyModel(size: HarnessSize): AlbertForPreTraining {
  const v = DEFAULT_VARIANT;
  return createPretrainingModel({ ...variantConfig(v), ...HARNESS_SIZES[size] }, {
    embeddings: factorized(), sharing: variantSharing(v), objectives: variantObjectives(v), seed: v.seed,
  });
}

/** The loss of each of `steps` training steps of a fresh seeded model, on the current backend. */
export async function tinyLosses(instances: readonly PretrainingInstance[], steps: number, size: HarnessSize): Promise<number[]> {
  const model = tinyModel(size);
  const losses: number[] = [];
  try {
    await trainModel(model, trainingBatches(instances), {
      ...TINY_SETTINGS, steps, tokensPerBatch: TOKENS_PER_BATCH, onStep: (info) => losses.push(info.loss),
    });
    return losses;
  } finally {
    model.dispose();
  }
}

/** A model kept between timed runs on the current backend (warm kernels, as in a long training run). */
export class TinyTrainer {
  private readonly model: AlbertForPreTraining;
  private readonly batches;
  constructor(instances: readonly PretrainingInstance[], size: HarnessSize) {
    this.model = tinyModel(size);
    this.batches = trainingBatches(instances);
  }

  /** Trains `steps` steps; tokens and wall seconds of the run. */
  async run(steps: number): Promise<{ tokens: number; seconds: number }> {
    const r = await trainModel(this.model, this.batches, { ...TINY_SETTINGS, steps, tokensPerBatch: TOKENS_PER_BATCH });
    return { tokens: r.tokensSeen, seconds: r.elapsedSeconds };
  }

  dispose(): void {
    this.model.dispose();
  }
}
