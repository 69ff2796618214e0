// The fused AdamW/LAMB step and global-norm clipping (core's AlbertAdamUpdate and AlbertSumOfSquares kernels,
// registered for wasm by @albert-ts/backends) against the composite ops on cpu: same parameters, moments, norms
// and clipped gradients, and no leaked tensors.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useTestBackend } from '@albert-ts/testing';
import { AdamW, AdamWeightDecay } from '../src/optim/adamw.js';
import { Lamb } from '../src/optim/lamb.js';
import { clipByGlobalNorm } from '../src/optim/clip.js';
import type { Optimizer } from '../src/optim/optimizer.js';

/** Deterministic values in [-scale, scale). */
function values(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 * 2 - 1) * scale;
  });
}

const SHAPES: Record<string, number[]> = {
  'encoder.ffn.weight': [37, 21], 'encoder.ffn.bias': [21], 'encoder.LayerNorm.weight': [21], 'zero.weight': [5, 3],
};

/** Parameters and moments after 4 steps of `make()` on the active backend, as arrays. */
function run(make: () => Optimizer): Float32Array[] {
  const params = new Map(Object.entries(SHAPES).map(([n, s], i) =>
    [n, tf.variable(n === 'zero.weight' ? tf.zeros(s) : tf.tensor(values(s.reduce((a, b) => a * b, 1), 7 + i), s))] as const));
  const opt = make();
  try {
    for (let step = 0; step < 4; step++) {
      const grads = new Map([...params].map(([n, p], i) => [n, tf.tensor(values(p.size, 100 * step + i, 0.3), p.shape)] as const));
      const before = tf.memory().numTensors;
      opt.applyGradients(params, grads, 0.01 / (step + 1));
      if (step > 0) expect(tf.memory().numTensors).toBe(before); // step 0 creates the slots
      tf.dispose([...grads.values()]);
    }
    const slots = opt.exportSlots();
    return [...[...params.values()].map((p) => Float32Array.from(p.dataSync() as Float32Array)), ...[...slots.values()].map((s) => s.data)];
  } finally {
    opt.dispose();
    tf.dispose([...params.values()]);
  }
}

describe('fused optimizer step on wasm', () => {
  it('global-norm clipping: one sum-of-squares kernel, same norm and clipped gradients as on cpu', async () => {
    const run = () => {
      const grads = new Map(Object.entries(SHAPES).map(([n, s], i) => [n, tf.tensor(values(s.reduce((a, b) => a * b, 1), 50 + i), s)] as const));
      const r = clipByGlobalNorm(grads, 1.5);
      const out = [Float32Array.of(r.globalNorm), ...[...r.grads.values()].map((g) => Float32Array.from(g.dataSync() as Float32Array))];
      tf.dispose([...grads.values(), ...r.grads.values()]);
      return out;
    };
    await useTestBackend('cpu');
    const cpu = run();
    await useTestBackend('wasm');
    const kernels = new Set((await tf.profile(() => { run(); })).kernels.map((k) => k.name));
    expect(kernels.has('AlbertSumOfSquares')).toBe(true);
    expect(kernels.has('Square')).toBe(false);
    const before = tf.memory().numTensors;
    const wasm = run();
    expect(tf.memory().numTensors).toBe(before);
    expect(cpu[0]![0]!).toBeGreaterThan(1.5); // clipping is active
    cpu.forEach((a, k) => a.forEach((x, i) => expect(Math.abs(x - wasm[k]![i]!), `array ${k}[${i}]`).toBeLessThan(1e-6)));
  });

  for (const [label, make] of [['LAMB', () => new Lamb()], ['AdamW (bias-corrected)', () => new AdamW()], ['AdamWeightDecay', () => new AdamWeightDecay()]] as const) {
    it(`${label}: parameters and slots match the cpu composite within 1e-6, through the fused kernel`, async () => {
      await useTestBackend('cpu');
      const cpu = run(make);
      await useTestBackend('wasm');
      const kernels = new Set((await tf.profile(() => { run(make); })).kernels.map((k) => k.name));
      expect(kernels.has('AlbertAdamUpdate')).toBe(true);
      const wasm = run(make);
      expect(wasm.length).toBe(cpu.length);
      cpu.forEach((a, k) => a.forEach((x, i) => expect(Math.abs(x - wasm[k]![i]!), `array ${k}[${i}]`).toBeLessThan(1e-6)));
    });
  }
});
