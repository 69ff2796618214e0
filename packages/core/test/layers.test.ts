import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  activation, additiveMask, AlbertAttention, AlbertFeedForward, createApplyContext, FLOAT32_MIN, LayerNorm, Linear,
  ParameterStore, presetConfig,
} from '../src/index.js';
import { expectNoLeaks } from '@albert-ts/testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const xs = [-3, -1, -0.5, 0, 0.5, 1, 2.5];
// Reference values from Python's math module (float64).
const expected = {
  gelu: [-0.00404969409489031, -0.15865525393145707, -0.15426876936299344, 0, 0.34573123063700656, 0.8413447460685429, 2.4844758366855597],
  gelu_new: [-0.0036373920817729943, -0.15880800939172324, -0.15428599017485606, 0, 0.34571400982514394, 0.8411919906082768, 2.484915733910001],
  silu: [-0.14227761953270035, -0.2689414213699951, -0.1887703343990727, 0, 0.3112296656009273, 0.7310585786300049, 2.3103545499468914],
  relu: [0, 0, 0, 0, 0.5, 1, 2.5],
  quick_gelu: [-0.01807130970778597, -0.1542042340671787, -0.1496115633936199, 0, 0.35038843660638014, 0.8457957659328212, 2.46501383495143],
  mish: [-0.1456474612756246, -0.30340146137410895, -0.22074377465173, 0, 0.3752452113048951, 0.8650983882673103, 2.471392304557881],
  leaky_relu: [-0.03, -0.01, -0.005, 0, 0.5, 1, 2.5],
  relu6: [0, 0, 0, 0, 0.5, 1, 2.5],
  relu2: [0, 0, 0, 0, 0.25, 1, 6.25],
  tanh: [-0.9950547536867305, -0.7615941559557649, -0.46211715726000974, 0, 0.46211715726000974, 0.7615941559557649, 0.9866142981514303],
  sigmoid: [0.04742587317756678, 0.2689414213699951, 0.3775406687981454, 0.5, 0.6224593312018546, 0.7310585786300049, 0.9241418199787566],
  linear: xs,
  // HF aliases with the same formulas.
  swish: [-0.14227761953270035, -0.2689414213699951, -0.1887703343990727, 0, 0.3112296656009273, 0.7310585786300049, 2.3103545499468914],
  gelu_python: [-0.00404969409489031, -0.15865525393145707, -0.15426876936299344, 0, 0.34573123063700656, 0.8413447460685429, 2.4844758366855597],
  gelu_pytorch_tanh: [-0.0036373920817729943, -0.15880800939172324, -0.15428599017485606, 0, 0.34571400982514394, 0.8411919906082768, 2.484915733910001],
} as const;

describe('activations', () => {
  for (const [name, values] of Object.entries(expected)) {
    it(`${name} matches the reference formula`, () => {
      const y = tf.tidy(() => Array.from(activation(name as keyof typeof expected)(tf.tensor1d(xs)).dataSync()));
      y.forEach((v, i) => expect(v).toBeCloseTo(values[i], 6));
    });
  }
});

describe('LayerNorm', () => {
  it('uses the biased variance and eps (hand-computed)', () => {
    const store = new ParameterStore(0.02, 1);
    const ln = new LayerNorm(store, 'ln', 3, 1e-5);
    ln.weight.assign(tf.tensor1d([1, 2, 0.5]));
    ln.bias.assign(tf.tensor1d([0, 0.1, -1]));
    const y = tf.tidy(() => Array.from(ln.apply(tf.tensor2d([[1, 2, 4]])).dataSync()));
    const ref = [-1.0690415314502977, -0.4345207657251491, -0.3318490428435641];
    y.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 5));
    store.dispose();
  });
});

describe('Linear', () => {
  it('computes x W + b with W stored [in, out]', () => {
    const store = new ParameterStore(0.02, 1);
    const lin = new Linear(store, 'fc', 2, 3);
    expect(lin.weight.shape).toEqual([2, 3]);
    lin.weight.assign(tf.tensor2d([[1, 2, 3], [4, 5, 6]]));
    lin.bias.assign(tf.tensor1d([0.5, 0, -1]));
    const y = tf.tidy(() => Array.from(lin.apply(tf.tensor3d([[[1, 1]], [[2, -1]]])).dataSync()));
    expect(y).toEqual([5.5, 7, 8, -1.5, -1, -1]);
    store.dispose();
  });
});

describe('additiveMask', () => {
  it('is (1 - mask) * float32 min, shaped [B, 1, 1, T]', () => {
    const m = additiveMask(tf.tensor2d([[1, 1, 0]], undefined, 'int32'));
    expect(m.shape).toEqual([1, 1, 1, 3]);
    const d = m.dataSync();
    expect(d[0] === 0).toBe(true); // -0, as torch's (1 - 1) * min
    expect(d[2]).toBe(Math.fround(FLOAT32_MIN));
    m.dispose();
  });
});

describe('ParameterStore', () => {
  it('initialises a truncated normal with σ = initializer_range, seeded', () => {
    const a = new ParameterStore(0.02, 7);
    const b = new ParameterStore(0.02, 7);
    const va = a.create('w', [200, 100], 'normal');
    const vb = b.create('w', [200, 100], 'normal');
    const data = va.dataSync();
    expect(Array.from(data)).toEqual(Array.from(vb.dataSync()));
    let max = 0;
    let sum = 0;
    for (const v of data) { max = Math.max(max, Math.abs(v)); sum += v * v; }
    expect(max).toBeLessThanOrEqual(0.04 + 1e-7); // truncated at 2σ
    const std = Math.sqrt(sum / data.length);
    expect(std).toBeGreaterThan(0.015); // truncated normal σ ≈ 0.88 · 0.02
    expect(std).toBeLessThan(0.02);
    expect(a.get('w')).toBe(va);
    expect(() => a.create('w', [1], 'zeros')).toThrow(/created twice/);
    a.dispose();
    b.dispose();
  });
});

describe('layer leak checks', () => {
  const config = presetConfig('albert-tiny', { vocabSize: 50, hiddenDropoutProb: 0.1, attentionProbsDropoutProb: 0.1 });
  it.each([false, true])('attention + FFN forward and backward leave no tensors (training=%s)', async (training) => {
    const store = new ParameterStore(config.initializerRange, 3);
    const attn = new AlbertAttention(store, 'a', config);
    const ffn = new AlbertFeedForward(store, 'f.', config);
    const x = tf.randomNormal([2, 5, config.hiddenSize]) as tf.Tensor3D;
    const mask2d = tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], undefined, 'int32');
    expectNoLeaks(() => {
      const ctx = createApplyContext({ training, dropoutSeed: 1 });
      const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
        const mask = additiveMask(mask2d);
        return tf.sum(ffn.apply(attn.apply(x, mask, ctx))) as tf.Scalar;
      }));
      expect(Object.keys(grads)).toHaveLength(store.infos().length);
      value.dispose();
      tf.dispose(Object.values(grads));
    });
    tf.dispose([x, mask2d]);
    store.dispose();
  });
});
