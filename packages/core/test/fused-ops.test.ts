// Core's fused ops: the composite path on a backend without the kernels (cpu), and the dispatch to named kernels
// with their gradients when a backend registers them (here: test kernels registered on cpu).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  FUSED_KERNELS, geluNew, hasKernels, layerNorm, multiHeadAttention, softmaxCrossEntropy,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface CpuBackend {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** Registers a cpu test kernel computing `f` elementwise over its inputs (in insertion order). */
function registerElementwise(name: string, f: (...xs: number[]) => number): void {
  tf.registerKernel({
    kernelName: name,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as unknown as CpuBackend;
      const ins = Object.values(inputs as Record<string, tf.TensorInfo>);
      const vals = ins.map((t) => b.data.get(t.dataId).values);
      const out = Float32Array.from(vals[0]!, (_, i) => f(...vals.map((v) => v[i]!)));
      return b.makeTensorInfo([...ins[0]!.shape], 'float32', out);
    },
  });
}

afterEach(() => {
  for (const name of Object.values(FUSED_KERNELS)) if (tf.getKernel(name, 'cpu')) tf.unregisterKernel(name, 'cpu');
});

describe('fused ops without kernels (composite path)', () => {
  it('are not registered on cpu', () => {
    for (const name of Object.values(FUSED_KERNELS)) expect(hasKernels(name), name).toBe(false);
  });

  it('layerNorm: biased variance, eps, gamma and beta (against a float64 computation)', () => {
    const x = [[1, 2, 3, 10], [-4, 0.5, 0.25, 7]];
    const g = [1, 2, 0.5, -1];
    const b = [0, 0.1, -0.2, 3];
    const eps = 1e-3;
    const want = x.map((row) => {
      const mean = row.reduce((s, v) => s + v, 0) / row.length;
      const varb = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
      return row.map((v, i) => ((v - mean) / Math.sqrt(varb + eps)) * g[i]! + b[i]!);
    });
    const got = tf.tidy(() => layerNorm(tf.tensor2d(x), tf.tensor1d(g), tf.tensor1d(b), eps).arraySync() as number[][]);
    got.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i]!, 5));
  });

  it('softmaxCrossEntropy: -log softmax at the label, 0 for a label out of range', () => {
    const logits = [[1, 2, 3], [0, 0, 0]];
    const got = tf.tidy(() => softmaxCrossEntropy(tf.tensor2d(logits), tf.tensor1d([2, 7], 'int32')).arraySync() as number[]);
    expect(got[0]).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, 5);
    expect(Math.abs(got[1]!)).toBe(0);
  });

  it('multiHeadAttention: one head, a masked key gets no weight', () => {
    // q = k = v = identity rows; key 1 masked: each query attends to keys 0 and 2 only.
    const q = tf.tensor3d([[[1, 0], [0, 1], [1, 1]]]);
    const mask = tf.tensor4d([[[[0, -3.4028234663852886e38, 0]]]]);
    const out = tf.tidy(() => multiHeadAttention(q, q, q, mask, 1).arraySync() as number[][][]);
    const s = 1 / Math.sqrt(2);
    const w0 = Math.exp(1 * s), w2 = Math.exp(1 * s); // query 0: scores 1 (key 0) and 1 (key 2)
    expect(out[0]![0]![0]).toBeCloseTo((w0 * 1 + w2 * 1) / (w0 + w2), 5);
    expect(out[0]![0]![1]).toBeCloseTo((w2 * 1) / (w0 + w2), 5);
    tf.dispose([q, mask]);
  });
});

describe('fused ops with kernels', () => {
  it('dispatch to the registered kernels and take their gradient kernels', () => {
    // Deliberately not GELU: the op must return whatever the kernels compute.
    registerElementwise(FUSED_KERNELS.geluNew, (x) => 3 * x);
    expect(hasKernels(FUSED_KERNELS.geluNew, FUSED_KERNELS.geluNewGrad)).toBe(false); // only half registered
    const half = tf.tidy(() => geluNew(tf.tensor1d([1])).dataSync()[0]);
    expect(half).toBeCloseTo(0.8411919906082768, 5); // composite while the gradient kernel is missing
    registerElementwise(FUSED_KERNELS.geluNewGrad, (dy, x) => dy * 10 + x);
    const before = tf.memory().numTensors;
    const [y, g] = tf.tidy(() => {
      const x = tf.tensor1d([1, -2]);
      return [geluNew(x).arraySync() as number[], tf.grad((v: tf.Tensor) => tf.sum(geluNew(v)))(x).arraySync() as number[]];
    });
    expect(y).toEqual([3, -6]);
    expect(g).toEqual([11, 8]); // dy = 1: 10 + x
    expect(tf.memory().numTensors).toBe(before);
  });
});
