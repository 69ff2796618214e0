// The fused training kernels (wasm, C SIMD) against core's composite ops on cpu: values and gradients.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { FUSED_KERNEL_NAMES } from '../src/wasm/kernels/fused/index.js';
import type { WasmBackendInternals } from '../src/wasm/internals.js';
import { simdPool } from '../src/wasm/simd/pool.js';
import { maxAbsDiff, maxScaledDiff, onCpuAndWasm, randomValues } from './helpers.js';

/** Core's fused ops, imported by path: this package must not depend on core. */
interface CoreOps {
  FUSED_KERNELS: Record<string, string>;
  layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): T;
  geluNew(x: tf.Tensor): tf.Tensor;
  multiHeadAttention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, mask: tf.Tensor4D, numHeads: number): tf.Tensor3D;
  softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D;
}
const ops = (await import(new URL('../../core/src/ops/index.ts', import.meta.url).href)) as CoreOps;

const arrays = (ts: tf.Tensor[]) => ts.map((t) => t.dataSync() as Float32Array);

/** Kernel names run by `fn` on the active backend. */
async function kernelsRun(fn: () => void): Promise<Set<string>> {
  const info = await tf.profile(fn);
  return new Set(info.kernels.map((k) => k.name));
}

describe('fused kernels', () => {
  it('use the kernel names core declares', () => {
    expect(FUSED_KERNEL_NAMES).toEqual(ops.FUSED_KERNELS);
  });

  it('LayerNorm: values and gradients of x, gamma, beta (rows of odd length, large offsets)', async () => {
    for (const [rows, n] of [[37, 64], [5, 13], [1, 1], [3, 768]] as const) {
      const xs = randomValues(rows * n, 1 + n, 3).map((v, i) => v + (i % 3 === 0 ? 50 : 0));
      const gs = randomValues(n, 2 + n, 1);
      const bs = randomValues(n, 3 + n, 1);
      const ws = randomValues(rows * n, 4 + n, 1);
      const { cpu, wasm } = await onCpuAndWasm(() =>
        tf.tidy(() => {
          const x = tf.tensor3d(xs, [1, rows, n]);
          const g = tf.tensor1d(gs);
          const b = tf.tensor1d(bs);
          const w = tf.tensor3d(ws, [1, rows, n]);
          const f = (xv: tf.Tensor, gv: tf.Tensor, bv: tf.Tensor) => tf.sum(tf.mul(ops.layerNorm(xv, gv, bv, 1e-12), w));
          return arrays([ops.layerNorm(x, g, b, 1e-5), ...tf.grads(f)([x, g, b])]);
        }),
      );
      expect(maxScaledDiff(cpu, wasm), `${rows}x${n}`).toBeLessThan(2e-4);
    }
  });

  it('gelu_new: values over a wide range and the gradient', async () => {
    const xs = Float32Array.from([...randomValues(1003, 11, 6), 0, -0, 1e-7, 30, -30, 9, -9]);
    const { cpu, wasm } = await onCpuAndWasm(() =>
      tf.tidy(() => {
        const x = tf.tensor1d(xs);
        const w = tf.tensor1d(randomValues(xs.length, 12));
        return arrays([ops.geluNew(x), tf.grad((v: tf.Tensor) => tf.sum(tf.mul(ops.geluNew(v), w)))(x)]);
      }),
    );
    expect(maxScaledDiff(cpu, wasm)).toBeLessThan(1e-5);
  });

  it('attention: context and dq, dk, dv with a padding mask (head sizes with and without SIMD tails)', async () => {
    for (const [B, T, NH, dh] of [[2, 16, 2, 8], [3, 7, 3, 5], [1, 33, 1, 12], [2, 64, 2, 32]] as const) {
      const H = NH * dh;
      const qs = randomValues(B * T * H, 21 + T, 2);
      const ks = randomValues(B * T * H, 22 + T, 2);
      const vs = randomValues(B * T * H, 23 + T, 1);
      const ws = randomValues(B * T * H, 24 + T, 1);
      // the last two keys of every sequence but the first are padding
      const mask = Float32Array.from({ length: B * T }, (_, i) => (i >= T && i % T >= T - 2 ? -3.4028234663852886e38 : 0));
      const { cpu, wasm } = await onCpuAndWasm(() =>
        tf.tidy(() => {
          const [q, k, v] = [qs, ks, vs].map((a) => tf.tensor3d(a, [B, T, H]));
          const m = tf.tensor4d(mask, [B, 1, 1, T]);
          const w = tf.tensor3d(ws, [B, T, H]);
          const f = (qv: tf.Tensor, kv: tf.Tensor, vv: tf.Tensor) =>
            tf.sum(tf.mul(ops.multiHeadAttention(qv as tf.Tensor3D, kv as tf.Tensor3D, vv as tf.Tensor3D, m, NH), w));
          return arrays([ops.multiHeadAttention(q!, k!, v!, m, NH), ...tf.grads(f)([q!, k!, v!])]);
        }),
      );
      expect(maxAbsDiff(cpu, wasm), `B${B} T${T} NH${NH} dh${dh}`).toBeLessThan(1e-4);
    }
  });

  it('softmax cross-entropy: per-row loss and gradient, including a label outside [0, C)', async () => {
    for (const [N, C] of [[40, 800], [3, 5], [7, 2003]] as const) {
      const xs = randomValues(N * C, 31 + C, 8);
      const labels = Int32Array.from({ length: N }, (_, i) => (i === 1 ? C + 3 : (i * 7919) % C));
      const ws = randomValues(N, 32 + C);
      const { cpu, wasm } = await onCpuAndWasm(() =>
        tf.tidy(() => {
          const x = tf.tensor2d(xs, [N, C]);
          const l = tf.tensor1d(labels, 'int32');
          const w = tf.tensor1d(ws);
          const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(ops.softmaxCrossEntropy(v as tf.Tensor2D, l), w)))(x);
          return arrays([ops.softmaxCrossEntropy(x, l), g]);
        }),
      );
      expect(maxScaledDiff(cpu, wasm), `${N}x${C}`).toBeLessThan(1e-5);
    }
  });

  it('sum of squares over several tensors (global-norm clipping)', async () => {
    const parts = [randomValues(1001, 41), randomValues(7, 42, 30), randomValues(64 * 33, 43)];
    const { cpu, wasm } = await onCpuAndWasm(() =>
      tf.tidy(() => {
        const ts = parts.map((p) => tf.tensor1d(p));
        const fused = tf.getKernel('AlbertSumOfSquares', tf.getBackend()) !== undefined;
        const s = fused
          ? (tf.engine().runKernel('AlbertSumOfSquares', Object.fromEntries(ts.map((t, i) => [`x${i}`, t]))) as tf.Tensor)
          : tf.addN(ts.map((t) => tf.sum(tf.square(t))));
        return arrays([s]);
      }),
    );
    expect(wasm[0]!.length).toBe(1);
    expect(Math.abs(cpu[0]![0]! - wasm[0]![0]!) / cpu[0]![0]!).toBeLessThan(1e-6);
  });

  it('split over the SIMD helper threads (2 threads, sizes large enough to split) they still match cpu', async () => {
    const [B, T, NH, dh] = [4, 24, 2, 8];
    const H = NH * dh;
    const xs = randomValues(160 * 1024, 51, 3);
    const ls = randomValues(80 * 2003, 52, 5);
    const labels = Int32Array.from({ length: 80 }, (_, i) => (i * 31) % 2003);
    const qs = randomValues(B * T * H, 53, 2);
    const { cpu, wasm } = await onCpuAndWasm(() =>
      tf.tidy(() => {
        const x = tf.tensor2d(xs, [160, 1024]);
        const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(ops.geluNew(v), 0.5)))(x);
        const lnx = ops.layerNorm(x, tf.ones([1024]), tf.zeros([1024]), 1e-12);
        const l = tf.tensor2d(ls, [80, 2003]);
        const ids = tf.tensor1d(labels, 'int32');
        const ce = ops.softmaxCrossEntropy(l, ids);
        const ceg = tf.grad((v: tf.Tensor) => tf.sum(ops.softmaxCrossEntropy(v as tf.Tensor2D, ids)))(l);
        const q = tf.tensor3d(qs, [B, T, H]);
        const m = tf.zeros([B, 1, 1, T]) as tf.Tensor4D;
        const att = tf.grads((a: tf.Tensor, c: tf.Tensor) => tf.sum(ops.multiHeadAttention(a as tf.Tensor3D, c as tf.Tensor3D, c as tf.Tensor3D, m, NH)))([q, tf.mul(q, 0.5)]);
        // GEMM split by rows (A Bᵀ, 84M multiply-adds) and by columns (Aᵀ B with a wide output)
        const nt = tf.matMul(x, tf.tensor2d(randomValues(512 * 1024, 54), [512, 1024]), false, true); // [160, 512]
        const tn = tf.matMul(tf.tensor2d(randomValues(160 * 96, 55), [160, 96]), x, true, false); // [96, 1024]
        return arrays([ops.geluNew(x), g, lnx, ce, ceg, ops.multiHeadAttention(q, q, q, m, NH), ...att, nt, tn]);
      }), 2);
    expect(maxScaledDiff(cpu, wasm)).toBeLessThan(2e-4);
    expect(simdPool(tf.backend() as unknown as WasmBackendInternals)?.size).toBe(1);
  });

  it('are what the ops run on wasm (and composites run on cpu); excludeKernels puts the composite back', async () => {
    const { useBackend } = await import('../src/index.js');
    const run = () =>
      tf.tidy(() => {
        const x = tf.ones([2, 4, 8]);
        ops.layerNorm(ops.geluNew(x), tf.ones([8]), tf.zeros([8]), 1e-12).dataSync();
      });
    await useBackend('wasm', { threads: 1 });
    expect([...(await kernelsRun(run))]).toEqual(expect.arrayContaining(['AlbertLayerNorm', 'AlbertGeluNew']));
    await useBackend('wasm', { threads: 1, excludeKernels: ['AlbertLayerNorm'] });
    const excluded = await kernelsRun(run);
    expect(excluded.has('AlbertLayerNorm')).toBe(false);
    expect(excluded.has('AlbertGeluNew')).toBe(true);
    await useBackend('wasm', { threads: 1 });
    await useBackend('cpu');
    expect([...(await kernelsRun(run))].some((k) => k.startsWith('Albert'))).toBe(false);
  });
});
