import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, maxScaledDiff, onCpuAndWasm, randomValues } from './helpers.js';

/** Value of matMul(a, b, ta, tb) only (tfjs's own gradient does not reduce broadcast batch dims). */
function matMulForward(aShape: number[], bShape: number[], ta: boolean, tb: boolean, seed: number): () => Float32Array[] {
  const av = randomValues(aShape.reduce((x, y) => x * y, 1), seed);
  const bv = randomValues(bShape.reduce((x, y) => x * y, 1), seed + 1);
  return () => tf.tidy(() => [tf.matMul(tf.tensor(av, aShape), tf.tensor(bv, bShape), ta, tb).dataSync() as Float32Array]);
}

/** Value and both gradients of sum(matMul(a, b, ta, tb) * w), as arrays. */
function matMulCase(aShape: number[], bShape: number[], ta: boolean, tb: boolean, seed: number): () => Float32Array[] {
  const av = randomValues(aShape.reduce((x, y) => x * y, 1), seed);
  const bv = randomValues(bShape.reduce((x, y) => x * y, 1), seed + 1);
  return () =>
    tf.tidy(() => {
      const a = tf.tensor(av, aShape);
      const b = tf.tensor(bv, bShape);
      const y = tf.matMul(a, b, ta, tb);
      const w = tf.tensor(randomValues(y.size, seed + 2), y.shape);
      const g = tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, z, ta, tb), w)));
      const [ga, gb] = g([a, b]);
      return [y.dataSync() as Float32Array, ga!.dataSync() as Float32Array, gb!.dataSync() as Float32Array];
    });
}

describe('wasm BatchMatMul (XNNPACK-only paths) against cpu', () => {
  const flags: [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];
  for (const [ta, tb] of flags) {
    it(`2-D, transposeA=${ta} transposeB=${tb}: values and gradients`, async () => {
      const [M, K, N] = [37, 19, 53];
      const aShape = ta ? [K, M] : [M, K];
      const bShape = tb ? [N, K] : [K, N];
      const { cpu, wasm } = await onCpuAndWasm(matMulCase(aShape, bShape, ta, tb, 11), 2);
      expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-4);
    });
    it(`batched 4-D [2,3,...], transposeA=${ta} transposeB=${tb}`, async () => {
      const [M, K, N] = [9, 16, 12];
      const aShape = [2, 3, ...(ta ? [K, M] : [M, K])];
      const bShape = [2, 3, ...(tb ? [N, K] : [K, N])];
      const { cpu, wasm } = await onCpuAndWasm(matMulCase(aShape, bShape, ta, tb, 21), 2);
      expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-4);
    });
  }

  it('broadcasts a batch of one against a batch of four (both sides)', async () => {
    const c1 = await onCpuAndWasm(matMulForward([4, 6, 5], [1, 5, 7], false, false, 31));
    expect(maxAbsDiff(c1.cpu, c1.wasm)).toBeLessThan(1e-4);
    const c2 = await onCpuAndWasm(matMulForward([1, 5, 6], [4, 7, 5], true, true, 41));
    expect(maxAbsDiff(c2.cpu, c2.wasm)).toBeLessThan(1e-4);
  });

  it('Aᵀ B: the direct SIMD path (broadcast batches, odd widths) and the XNNPACK path above its size limit', async () => {
    const c1 = await onCpuAndWasm(matMulForward([1, 9, 6], [4, 9, 7], true, false, 33));
    expect(maxAbsDiff(c1.cpu, c1.wasm)).toBeLessThan(1e-4);
    const c2 = await onCpuAndWasm(matMulForward([3, 300, 13], [1, 300, 5], true, false, 34));
    expect(maxAbsDiff(c2.cpu, c2.wasm)).toBeLessThan(1e-4);
    const wide = await onCpuAndWasm(matMulCase([3, 600], [3, 520], true, false, 35)); // 600·520 > DIRECT_TN_MAX_OUTPUT
    expect(maxAbsDiff(wide.cpu, wide.wasm)).toBeLessThan(1e-4);
  });

  it('matches on a wide tied-logits shape', async () => {
    const { cpu, wasm } = await onCpuAndWasm(matMulCase([33, 64], [4100, 64], false, true, 91), 2);
    // The gradient of a sums 4100 unit-size terms (|partial sums| ~ 20): float32 accumulation alone differs by
    // ~sqrt(4100) * 2^-24 * 20 ~ 1e-4 between two summation orders, so compare relative to that scale.
    expect(maxScaledDiff(cpu, wasm)).toBeLessThan(3e-4);
    expect(maxAbsDiff([cpu[0]!], [wasm[0]!])).toBeLessThan(1e-5); // the product itself: 64-term sums
  });

  it('handles degenerate sizes (M=1, N=1, K=1) and a rank-3 by rank-2 product', async () => {
    for (const [aShape, bShape, ta, tb] of [
      [[1, 8], [8, 5], false, false],
      [[8, 1], [5, 8], true, true],
      [[6, 1], [1, 4], false, false],
      [[3, 4, 8], [8, 2], false, false],
    ] as [number[], number[], boolean, boolean][]) {
      const grads = aShape.length === bShape.length;
      const { cpu, wasm } = await onCpuAndWasm((grads ? matMulCase : matMulForward)(aShape, bShape, ta, tb, 51));
      expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-4);
    }
  });
});

describe('wasm _FusedMatMul (matMul + bias) against cpu', () => {
  for (const threads of [1, 2]) {
    it(`values and gradients of a, b and the bias, all transposes, ${threads} thread(s)`, async () => {
      for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
        const [M, K, N] = [37, 19, 21];
        const av = randomValues(M * K, 61);
        const bv = randomValues(K * N, 62);
        const biasv = randomValues(N, 63);
        const wv = randomValues(M * N, 64);
        const { cpu, wasm } = await onCpuAndWasm(() =>
          tf.tidy(() => {
            const a = tf.tensor2d(av, ta ? [K, M] : [M, K]);
            const b = tf.tensor2d(bv, tb ? [N, K] : [K, N]);
            const bias = tf.tensor1d(biasv);
            const w = tf.tensor2d(wv, [M, N]);
            const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) =>
              tf.sum(tf.mul(tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, bias: z, transposeA: ta, transposeB: tb }), w));
            const y = tf.fused.matMul({ a, b, bias, transposeA: ta, transposeB: tb });
            return [y, ...tf.grads(f)([a, b, bias])].map((t) => t.dataSync() as Float32Array);
          }), threads);
        expect(maxAbsDiff(cpu, wasm), `ta=${ta} tb=${tb}`).toBeLessThan(1e-4);
      }
    });
  }

  it('falls back to the stock kernel for an activation (relu)', async () => {
    const { cpu, wasm } = await onCpuAndWasm(() => tf.tidy(() => [tf.fused.matMul({
      a: tf.tensor2d(randomValues(6 * 5, 71), [6, 5]), b: tf.tensor2d(randomValues(5 * 3, 72), [5, 3]),
      bias: tf.tensor1d(randomValues(3, 73)), activation: 'relu',
    }).dataSync() as Float32Array]));
    expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-5);
  });
});

describe('wasm UnsortedSegmentSum (gather gradient) against cpu', () => {
  it('sums rows of repeated indices and ignores unused rows', async () => {
    const table = randomValues(10 * 6, 7);
    const ids = [3, 1, 3, 9, 0, 3, 1, 7];
    const { cpu, wasm } = await onCpuAndWasm(() =>
      tf.tidy(() => {
        const emb = tf.tensor2d(table, [10, 6]);
        const w = tf.tensor3d(randomValues(2 * 4 * 6, 8), [2, 4, 6]);
        const idx = tf.tensor2d(ids, [2, 4], 'int32');
        const g = tf.grad((e: tf.Tensor) => tf.sum(tf.mul(tf.gather(e, idx), w)))(emb);
        const direct = tf.unsortedSegmentSum(tf.tensor2d(randomValues(8 * 3, 9), [8, 3]), tf.tensor1d(ids, 'int32'), 10);
        return [g.dataSync() as Float32Array, direct.dataSync() as Float32Array];
      }),
    );
    expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-5);
    // Independent check of one row: row 3 of the gradient is the sum of w at the positions holding id 3.
    expect(wasm[0]![5 * 6]).toBe(0); // id 5 never used
  });
});

describe('wasm Transpose, Exp, Tanh, Sum (SIMD) against cpu', () => {
  it('transposes every permutation of a rank-4 tensor (block paths and stock fallback)', async () => {
    const shape = [3, 5, 4, 6];
    const xs = randomValues(3 * 5 * 4 * 6, 61);
    const perms: number[][] = [];
    const permute = (rest: number[], acc: number[]) => {
      if (rest.length === 0) perms.push(acc);
      rest.forEach((a, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...acc, a]));
    };
    permute([0, 1, 2, 3], []);
    const { cpu, wasm } = await onCpuAndWasm(() =>
      tf.tidy(() => {
        const x = tf.tensor(xs, shape);
        return [
          ...perms.map((p) => tf.transpose(x, p).dataSync() as Float32Array),
          tf.transpose(tf.tensor(xs.subarray(0, 37 * 9), [37, 9])).dataSync() as Float32Array,
          tf.transpose(tf.tensor(xs.subarray(0, 2 * 1 * 33), [2, 1, 33]), [2, 1, 0]).dataSync() as Float32Array,
        ];
      }),
    );
    expect(maxAbsDiff(cpu, wasm)).toBe(0);
  });

  it('Exp and Tanh: values over a wide range and gradients', async () => {
    const xs = Float32Array.from([...randomValues(1001, 71, 12), 0, -0, 1e-8, -1e-8, 0.06, -0.07, 20, -20, 88, -100]);
    const { cpu, wasm } = await onCpuAndWasm(() =>
      tf.tidy(() => {
        const x = tf.tensor1d(xs);
        const small = tf.clipByValue(x, -10, 10);
        const gExp = tf.grad((v: tf.Tensor) => tf.sum(tf.exp(v)))(small);
        const gTanh = tf.grad((v: tf.Tensor) => tf.sum(tf.tanh(v)))(x);
        // exp relative to its size: compare exp(x) * exp(-|x|) (values in [0, 1])
        const relExp = tf.mul(tf.exp(small), tf.exp(tf.neg(tf.abs(small))));
        return [relExp.dataSync() as Float32Array, tf.tanh(x).dataSync() as Float32Array,
          tf.mul(gExp, tf.exp(tf.neg(tf.abs(small)))).dataSync() as Float32Array, gTanh.dataSync() as Float32Array];
      }),
    );
    expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-6);
  });

  it('sums over leading axes (and falls back for other axes), with keepDims', async () => {
    const xs = randomValues(6 * 7 * 19, 81);
    const { cpu, wasm } = await onCpuAndWasm(() =>
      tf.tidy(() => {
        const x = tf.tensor3d(xs, [6, 7, 19]);
        return [tf.sum(x, 0), tf.sum(x, [0, 1]), tf.sum(x, 0, true), tf.sum(x, 2), tf.sum(x, 1), tf.sum(x)].map(
          (t) => t.dataSync() as Float32Array,
        );
      }),
    );
    expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-5);
  });
});

describe('wasm Identity', () => {
  it('shares memory instead of copying, and the data outlives the original', async () => {
    const { useBackend } = await import('../src/index.js');
    await useBackend('wasm', { threads: 1 });
    const before = tf.memory();
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    expect(tf.memory().numTensors).toBe(before.numTensors + 2);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers + 1); // one buffer, two tensors
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
  });
});

describe('wasm ClipByValue (the stock kernel clamps the raw bytes as f32) against cpu', () => {
  const ints = [5, -5, 0, 1, 2, 3, -1, 2147483647, -2147483648, 123456789, -98765, 7];
  const floats = [NaN, -Infinity, Infinity, -0, 0, 3.5, -7, 1e30, -1e-30, 1.4e-45, 2, -1.5, 0.25];
  /** Every dtype and range case, as [dtype, values as numbers] pairs, run on the current backend. */
  function clipCases(): [string, number[]][] {
    return tf.tidy(() => {
      const out: [string, number[]][] = [];
      for (const [min, max] of [[0, 3], [-1, 1], [0.5, 2.5], [-3, -3], [-2147483648, 2147483647]] as const) {
        const i = tf.clipByValue(tf.tensor2d(ints, [3, 4], 'int32'), min, max);
        out.push([i.dtype, Array.from(i.dataSync())]);
        const f = tf.clipByValue(tf.tensor1d(floats), min, max);
        out.push([f.dtype, Array.from(f.dataSync())]);
        const bools = tf.clipByValue(tf.tensor1d([true, false, true], 'bool'), min, max);
        out.push([bools.dtype, Array.from(bools.dataSync())]);
      }
      const big = tf.clipByValue(tf.range(-50000, 50000, 1, 'int32'), -1000, 2000); // larger than one SIMD/thread chunk
      out.push([big.dtype, Array.from(big.dataSync())]);
      const empty = tf.clipByValue(tf.zeros([0, 3], 'int32'), 0, 1);
      out.push([empty.dtype, Array.from(empty.dataSync())]);
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.clipByValue(x, -1, 2)))(tf.tensor1d([-3, -1, 0.5, 2, 5]));
      out.push(['grad', Array.from(g.dataSync())]);
      return out;
    });
  }

  it('int32, float32 (NaN, infinities, -0, denormals), bool and the gradient equal cpu exactly, 1 and 2 threads', async () => {
    const { useBackend } = await import('../src/index.js');
    await useBackend('cpu');
    const cpu = clipCases();
    // Guard against a cpu reference that is itself a no-op on int32: 5 clipped to [0, 3] is 3.
    expect(cpu[0]).toEqual(['int32', [3, 0, 0, 1, 2, 3, 0, 3, 0, 3, 0, 3]]);
    for (const threads of [1, 2]) {
      await useBackend('wasm', { threads });
      const before = tf.memory().numTensors;
      const wasm = clipCases();
      expect(tf.memory().numTensors).toBe(before);
      // toEqual compares NaN as equal to NaN and tells -0 from 0 (Object.is).
      expect(wasm).toEqual(cpu);
    }
  });
});

describe('gradients of the ops an ALBERT model uses run on wasm and match cpu', () => {
  it('erf-GELU, pow, masks, where, slices, concat, oneHot cross-entropy, pooler tanh, silu/relu', async () => {
    const xs = randomValues(4 * 6 * 8, 101);
    const ws = randomValues(8 * 8, 102);
    const { cpu, wasm } = await onCpuAndWasm(() =>
      tf.tidy(() => {
        const x = tf.tensor3d(xs, [4, 6, 8]);
        const w = tf.tensor2d(ws, [8, 8]);
        const mask = tf.tensor2d([1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], [4, 6]);
        const f = (xv: tf.Tensor, wv: tf.Tensor) => {
          const h = tf.matMul(tf.reshape(xv, [24, 8]), wv); // [24, 8]
          const gelu = tf.mul(tf.mul(h, 0.5), tf.add(tf.erf(tf.div(h, Math.SQRT2)), 1));
          const p3 = tf.pow(gelu, 3);
          const act = tf.add(tf.add(tf.mul(tf.sigmoid(h), h), tf.relu(p3)), tf.maximum(h, tf.scalar(0.1)));
          const h3 = tf.reshape(act, [4, 6, 8]);
          // additive mask with float32 min on masked positions
          const neg = tf.mul(tf.sub(1, mask), -3.4028234663852886e38);
          const scores = tf.add(tf.matMul(h3, h3, false, true), tf.expandDims(neg, 1)); // [4, 6, 6]
          const probs = tf.softmax(scores);
          const ctx = tf.matMul(probs, h3);
          const pooled = tf.tanh(tf.squeeze(tf.slice(ctx, [0, 0, 0], [4, 1, 8]), [1])); // [4, 8]
          const both = tf.concat([pooled, tf.mean(ctx, 1)], 1); // [4, 16]
          const logits = tf.add(tf.slice(both, [0, 0], [4, 8]), tf.slice(both, [0, 8], [4, 8]));
          const labels = tf.oneHot(tf.tensor1d([1, 7, 0, 3], 'int32'), 8);
          const ce = tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), -1)));
          const picked = tf.gather(tf.reshape(logits, [32]), tf.tensor1d([3, 9, 17, 30], 'int32'));
          const sel = tf.where(tf.tensor1d([true, false, true, false], 'bool'), picked, tf.mul(picked, 0.5));
          return tf.add(ce, tf.add(tf.mean(tf.squaredDifference(sel, 0.3)), tf.mean(tf.sqrt(tf.add(tf.square(h), 1)))));
        };
        const [gx, gw] = tf.grads(f)([x, w]);
        return [f(x, w).dataSync() as Float32Array, gx!.dataSync() as Float32Array, gw!.dataSync() as Float32Array];
      }),
    );
    expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-4);
  });
});
