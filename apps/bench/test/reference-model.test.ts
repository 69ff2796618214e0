import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '@albert-ts/core'; // registers tfjs-core's gradients
import { useBackend } from '@albert-ts/backends';
import { SMOKE_CONFIGS, type BenchConfig } from '../src/configs.js';
import { createReferenceParams, disposeReferenceParams, referenceLoss } from '../src/reference-model.js';
import { createBenchData, disposeBenchData, trainStep } from '../src/train-step.js';

const tiny: BenchConfig = { ...SMOKE_CONFIGS['reference']!, batch: 2, microBatch: 2, seqLen: 16, hidden: 32, embedding: 16, vocab: 97, layers: 2, heads: 4 };

/** Loss and every parameter gradient of the reference model, as plain arrays. */
function lossAndGrads(c: BenchConfig): Float32Array[] {
  const p = createReferenceParams(c, 3);
  const d = createBenchData(c, 5);
  try {
    const vars = Object.values(p) as tf.Variable[];
    const { value, grads } = tf.variableGrads(() => referenceLoss(p, c, d.ids[0]!, d.labels[0]!, c.microBatch), vars);
    const out = [value.dataSync() as Float32Array, ...vars.map((v) => grads[v.name]!.dataSync() as Float32Array)];
    value.dispose();
    tf.dispose(grads);
    return out;
  } finally {
    disposeBenchData(d);
    disposeReferenceParams(p);
  }
}

describe('reference model on wasm', () => {
  it('has the loss and all gradients of the cpu backend within 1e-4 (fast kernels, 2 threads)', async () => {
    await useBackend('cpu');
    const cpu = lossAndGrads(tiny);
    await useBackend('wasm', { threads: 2 });
    const before = tf.memory().numTensors;
    const wasm = lossAndGrads(tiny);
    expect(tf.memory().numTensors).toBe(before);
    // ln(97) ~ 4.57: the loss of near-uniform logits
    expect(cpu[0]![0]).toBeGreaterThan(4.4);
    expect(cpu[0]![0]).toBeLessThan(4.8);
    let maxDiff = 0;
    cpu.forEach((x, k) => x.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - wasm[k]![i]!)))));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('accumulated micro-batches give the full-batch update, and a step leaks no tensors', async () => {
    await useBackend('wasm', { threads: 1 });
    const run = (microBatch: number) => {
      const c = { ...tiny, batch: 4, microBatch };
      const p = createReferenceParams(c, 3);
      const d = createBenchData({ ...c, microBatch: 4 }, 5); // same data, then split below
      const data = { ids: [] as tf.Tensor1D[], labels: [] as tf.Tensor1D[] };
      const n = 4 / microBatch;
      for (let i = 0; i < n; i++) {
        const size = microBatch * c.seqLen;
        data.ids.push(tf.slice(d.ids[0]!, i * size, size));
        data.labels.push(tf.slice(d.labels[0]!, i * size, size));
      }
      const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
      trainStep(p, c, data, opt); // first step creates Adam's slots
      const before = tf.memory().numTensors;
      const loss = trainStep(p, c, data, opt);
      expect(tf.memory().numTensors).toBe(before);
      const emb = p.emb.dataSync().slice();
      opt.dispose();
      disposeBenchData(d);
      disposeBenchData(data);
      disposeReferenceParams(p);
      return { loss, emb };
    };
    const full = run(4);
    const micro = run(2);
    expect(Math.abs(full.loss - micro.loss)).toBeLessThan(1e-5);
    let maxDiff = 0;
    full.emb.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - micro.emb[i]!))));
    expect(maxDiff).toBeLessThan(1e-6);
  });
});
