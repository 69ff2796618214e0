// Figure 1 of the paper on the current weights: per-layer L2 distance and angle between each layer's input and
// output, averaged over the non-padding tokens of held-out instances (the same accumulator as the ablation report).
import * as tf from '@tensorflow/tfjs-core';
import { GeometryAccumulator } from '@albert-ts/analysis';
import type { AlbertModel } from '@albert-ts/core';
import { disposeBatch, type PretrainingInstance, toBatchTensors } from '@albert-ts/data';
import type { GeometryResult } from '../protocol.js';
import { MAX_PREDICTIONS, MAX_SEQ_LENGTH } from './dataset.js';

const BATCH_SIZE = 8;

export async function layerGeometry(albert: AlbertModel, instances: readonly PretrainingInstance[]): Promise<GeometryResult> {
  const acc = new GeometryAccumulator();
  let tokens = 0;
  let seconds = 0;
  for (let i = 0; i < instances.length; i += BATCH_SIZE) {
    const batch = toBatchTensors(instances.slice(i, i + BATCH_SIZE), MAX_SEQ_LENGTH, MAX_PREDICTIONS);
    try {
      const start = performance.now();
      const out = albert.apply(
        { inputIds: batch.inputIds, tokenTypeIds: batch.tokenTypeIds, attentionMask: batch.attentionMask },
        { outputHiddenStates: true },
      );
      try {
        await acc.addAsync(out.hiddenStates!, batch.attentionMask);
      } finally {
        tf.dispose([out.lastHiddenState, out.poolerOutput, ...(out.hiddenStates ?? [])].filter((t) => t !== undefined));
      }
      seconds += (performance.now() - start) / 1000;
      tokens += instances.slice(i, i + BATCH_SIZE).reduce((n, inst) => n + inst.inputIds.length, 0);
    } finally {
      disposeBatch(batch);
    }
  }
  const layers = acc.result().map((l, i) => ({ layer: i + 1, l2: l.l2, angle: l.cosine_deg }));
  return { layers, tokens, tokensPerSecond: tokens / Math.max(seconds, 1e-9) };
}
