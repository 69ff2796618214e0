import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW, AdamWeightDecay } from '../src/optim/adamw.js';
import { Lamb } from '../src/optim/lamb.js';
import { clipByGlobalNorm } from '../src/optim/clip.js';
import { GradientAccumulator } from '../src/optim/accumulate.js';
import { learningRateAt, validateSchedule } from '../src/optim/schedule.js';
import { OPTIMIZER_NAMES, createOptimizer } from '../src/optim/create.js';
import { TrainerError } from '../src/errors.js';
import { expectNoLeaks } from '@albert-ts/testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

// Hand-written reference in plain JS doubles, following lamb_optimizer.py / AdamWeightDecayOptimizer line by line,
// and torch.optim.AdamW's `_single_tensor_adamw` (torch 1.13) for the bias-corrected AdamW.
interface RefParam { w: number[]; m: number[]; v: number[]; t: number }
type Kind = 'lamb' | 'adamw-uncorrected' | 'adamw';
const EXCLUDED = (name: string) => /LayerNorm|layer_norm|bias/.test(name);
const norm = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0));

function refStep(kind: Kind, name: string, p: RefParam, g: number[], lr: number): void {
  const b1 = 0.9, b2 = 0.999, wd = 0.01;
  if (kind === 'adamw') {
    // param.mul_(1 - lr*wd); exp_avg.mul_(b1).add_(g, 1-b1); exp_avg_sq.mul_(b2).addcmul_(g, g, 1-b2);
    // denom = exp_avg_sq.sqrt() / sqrt(1 - b2^t) + eps; param.addcdiv_(exp_avg, denom, -lr / (1 - b1^t))
    const eps = 1e-8;
    p.t += 1;
    const decay = EXCLUDED(name) ? 0 : wd;
    p.w = p.w.map((wi) => wi * (1 - lr * decay));
    p.m = p.m.map((mi, i) => b1 * mi + (1 - b1) * g[i]);
    p.v = p.v.map((vi, i) => b2 * vi + (1 - b2) * g[i] * g[i]);
    const bc1 = 1 - b1 ** p.t, bc2 = 1 - b2 ** p.t;
    p.w = p.w.map((wi, i) => wi - (lr / bc1) * p.m[i] / (Math.sqrt(p.v[i]) / Math.sqrt(bc2) + eps));
    return;
  }
  const eps = 1e-6;
  const m = p.m.map((mi, i) => b1 * mi + (1 - b1) * g[i]);
  const v = p.v.map((vi, i) => b2 * vi + (1 - b2) * g[i] * g[i]);
  const u = m.map((mi, i) => mi / (Math.sqrt(v[i]) + eps) + (EXCLUDED(name) ? 0 : wd * p.w[i]));
  let ratio = 1;
  if (kind === 'lamb' && !EXCLUDED(name)) {
    const wn = norm(p.w), un = norm(u);
    ratio = wn > 0 && un > 0 ? wn / un : 1;
  }
  p.w = p.w.map((wi, i) => wi - ratio * lr * u[i]);
  p.m = m;
  p.v = v;
}

const INIT: Record<string, { shape: number[]; w: number[] }> = {
  'encoder.query.weight': { shape: [2, 3], w: [0.5, -1.25, 2.0, 0.75, -0.3, 1.1] },
  'encoder.LayerNorm.weight': { shape: [3], w: [1.2, 0.9, 1.05] },
  'pooler.dense.bias': { shape: [2], w: [0.1, -0.2] },
  'zero.weight': { shape: [2], w: [0, 0] },
};
const GRADS: Record<string, number[]>[] = [
  { 'encoder.query.weight': [0.1, -0.2, 0.3, 0.05, 0.0, -0.4], 'encoder.LayerNorm.weight': [0.3, -0.1, 0.2],
    'pooler.dense.bias': [-0.5, 0.25], 'zero.weight': [0.2, -0.1] },
  { 'encoder.query.weight': [-0.3, 0.1, 0.2, -0.05, 0.6, 0.1], 'encoder.LayerNorm.weight': [0.0, 0.4, -0.2],
    'pooler.dense.bias': [0.1, 0.1], 'zero.weight': [0.0, 0.3] },
  { 'encoder.query.weight': [0.2, 0.2, -0.1, 0.3, -0.2, 0.05], 'encoder.LayerNorm.weight': [-0.3, 0.1, 0.1],
    'pooler.dense.bias': [0.2, -0.7], 'zero.weight': [0.1, 0.1] },
];
const LRS = [0.1, 0.05, 0.02];

function runBoth(kind: Kind) {
  const params = new Map<string, tf.Variable>();
  const ref = new Map<string, RefParam>();
  for (const [name, { shape, w }] of Object.entries(INIT)) {
    params.set(name, tf.variable(tf.tensor(w, shape)));
    ref.set(name, { w: [...w], m: w.map(() => 0), v: w.map(() => 0), t: 0 });
  }
  const opt = kind === 'lamb' ? new Lamb() : kind === 'adamw' ? new AdamW() : new AdamWeightDecay();
  for (let s = 0; s < GRADS.length; s++) {
    const grads = new Map(Object.entries(GRADS[s]).map(([n, g]) => [n, tf.tensor(g, INIT[n].shape)] as const));
    opt.applyGradients(params, grads, LRS[s]);
    for (const g of grads.values()) g.dispose();
    for (const [name, p] of ref) refStep(kind, name, p, GRADS[s][name], LRS[s]);
    for (const [name, p] of ref) {
      const got = Array.from(params.get(name)!.dataSync());
      got.forEach((x, i) => expect(x).toBeCloseTo(p.w[i], 6));
    }
  }
  return { params, ref, opt };
}

describe('LAMB', () => {
  it('matches a hand computation of lamb_optimizer.py over 3 steps', () => {
    const { params, ref, opt } = runBoth('lamb');
    const slots = opt.exportSlots();
    expect([...slots.keys()]).toContain('encoder.query.weight/adam_m');
    Array.from(slots.get('encoder.query.weight/adam_v')!.data).forEach((x, i) =>
      expect(x).toBeCloseTo(ref.get('encoder.query.weight')!.v[i], 8));
    opt.dispose();
    for (const p of params.values()) p.dispose();
  });

  it('uses a trust ratio on decayed params and none on LayerNorm/bias (first step moves excluded params by lr)', () => {
    const w = tf.variable(tf.tensor([3, 4], [2]));
    const b = tf.variable(tf.tensor([3, 4], [2]));
    const opt = new Lamb();
    const grads = new Map([['a.weight', tf.tensor([1, 1])], ['a.bias', tf.tensor([1, 1])]]);
    opt.applyGradients(new Map([['a.weight', w], ['a.bias', b]]), grads, 0.1);
    // bias: update = 0.1/(sqrt(0.001)+1e-6) ≈ 3.16217, no ratio, step lr*u
    const u = 0.1 / (Math.sqrt(0.001) + 1e-6);
    expect(b.dataSync()[0]).toBeCloseTo(3 - 0.1 * u, 5);
    // weight: u_i = 3.16217 + 0.01*w_i; ratio = ‖w‖/‖u‖ = 5/‖u‖; the step has norm lr*‖w‖ = 0.5
    const d0 = 3 - w.dataSync()[0], d1 = 4 - w.dataSync()[1];
    expect(Math.hypot(d0, d1)).toBeCloseTo(0.5, 5);
    for (const g of grads.values()) g.dispose();
    w.dispose(); b.dispose(); opt.dispose();
  });

  it('round-trips slots through export/import and continues identically', () => {
    const a = runBoth('lamb');
    const slots = a.opt.exportSlots();
    const opt2 = new Lamb();
    opt2.importSlots(slots, new Map(Object.entries(INIT).map(([n, x]) => [n, x.shape])));
    const g = new Map([['encoder.query.weight', tf.tensor([0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [2, 3])]]);
    const p1 = new Map([['encoder.query.weight', tf.variable(a.params.get('encoder.query.weight')!.clone())]]);
    a.opt.applyGradients(a.params, g, 0.01);
    opt2.applyGradients(p1, g, 0.01);
    expect(Array.from(p1.get('encoder.query.weight')!.dataSync())).toEqual(
      Array.from(a.params.get('encoder.query.weight')!.dataSync()));
    expect(() => opt2.importSlots(new Map([['x/adam_m', { shape: [1], data: new Float32Array(1) }]])))
      .toThrow(TrainerError);
    const badShapes = new Map(Object.entries(INIT).map(([n, x]) => [n, x.shape]));
    badShapes.set('encoder.query.weight', [3, 2]);
    expect(() => opt2.importSlots(slots, badShapes)).toThrow(/has shape \[2,3\], parameter has \[3,2\]/);
    for (const x of [...a.params.values(), ...p1.values(), ...g.values()]) x.dispose();
    a.opt.dispose(); opt2.dispose();
  });
});

describe('AdamWeightDecay (google-research AdamW, adamw-uncorrected)', () => {
  it('matches a hand computation of AdamWeightDecayOptimizer over 3 steps', () => {
    const { params, opt } = runBoth('adamw-uncorrected');
    expect([...opt.exportSlots().keys()].some((k) => k.endsWith('/step'))).toBe(false);
    opt.dispose();
    for (const p of params.values()) p.dispose();
  });
});

describe('AdamW (torch.optim.AdamW, bias-corrected)', () => {
  it('matches a hand computation of torch.optim.AdamW over 3 steps, step counts included', () => {
    const { params, ref, opt } = runBoth('adamw');
    const slots = opt.exportSlots();
    for (const name of Object.keys(INIT)) {
      expect(slots.get(`${name}/step`)).toEqual({ shape: [], data: Float32Array.of(3) });
      Array.from(slots.get(`${name}/adam_v`)!.data).forEach((x, i) => expect(x).toBeCloseTo(ref.get(name)!.v[i], 8));
    }
    opt.dispose();
    for (const p of params.values()) p.dispose();
  });

  it('takes a first step of lr·sign(g) (m̂/√v̂ = g/|g|), where the uncorrected one takes 3.16·lr·sign(g)', () => {
    const g = [0.5, -2];
    // first step, no weight decay: m' = 0.1·g, v' = 0.001·g²; corrected m̂ = g, v̂ = g²
    const cases = [
      [new AdamW({ weightDecayRate: 0 }), (x: number) => (0.1 * x) / (Math.abs(x) + 1e-8)],
      [new AdamWeightDecay({ weightDecayRate: 0 }), (x: number) => (0.1 * 0.1 * x) / (Math.sqrt(0.001) * Math.abs(x) + 1e-6)],
    ] as const;
    for (const [opt, step] of cases) {
      const w = tf.variable(tf.tensor([1, 1]));
      const grads = new Map([['w', tf.tensor(g)]]);
      opt.applyGradients(new Map([['w', w]]), grads, 0.1);
      Array.from(w.dataSync()).forEach((x, i) => expect(1 - x).toBeCloseTo(step(g[i]), 6));
      w.dispose(); grads.get('w')!.dispose(); opt.dispose();
    }
  });

  it('counts steps per parameter (a parameter without a gradient does not step), and resumes them exactly', () => {
    const a = tf.variable(tf.tensor([1, 2]));
    const b = tf.variable(tf.tensor([3]));
    const params = new Map([['a', a], ['b', b]]);
    const opt = new AdamW();
    const ga = new Map([['a', tf.tensor([0.1, -0.3])]]);
    const gab = new Map([['a', tf.tensor([0.2, 0.1])], ['b', tf.tensor([0.4])]]);
    opt.applyGradients(params, ga, 0.01);
    opt.applyGradients(params, gab, 0.01);
    const slots = opt.exportSlots();
    expect(slots.get('a/step')!.data[0]).toBe(2);
    expect(slots.get('b/step')!.data[0]).toBe(1);
    // a copy resumed from the slots takes bit-identical next steps (cpu)
    const copy = new Map([['a', tf.variable(tf.clone(a))], ['b', tf.variable(tf.clone(b))]]);
    const resumed = new AdamW();
    resumed.importSlots(slots, new Map([['a', [2]], ['b', [1]]]));
    opt.applyGradients(params, gab, 0.01);
    resumed.applyGradients(copy, gab, 0.01);
    for (const n of ['a', 'b']) expect(Array.from(copy.get(n)!.dataSync())).toEqual(Array.from(params.get(n)!.dataSync()));
    // slots of the other kind are refused: continuing with a different update would not be the same run
    expect(() => new AdamW().importSlots(new AdamWeightDecay().exportSlots().set('a/adam_m', slots.get('a/adam_m')!).set('a/adam_v', slots.get('a/adam_v')!)))
      .toThrow("optimizer slots for 'a' have no step count (saved by an optimizer without bias correction?)");
    expect(() => new Lamb().importSlots(slots)).toThrow("optimizer slot 'a/step' is a step count, saved by a bias-corrected optimizer");
    expect(() => new AdamW().importSlots(new Map([...slots, ['a/step', { shape: [], data: Float32Array.of(1.5) }]])))
      .toThrow("optimizer slot 'a/step' must hold one non-negative integer, got [1.5]");
    expect(opt.hyperparameters).toEqual({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecayRate: 0.01, biasCorrection: 1 });
    expect(new AdamWeightDecay().hyperparameters).toEqual({ beta1: 0.9, beta2: 0.999, epsilon: 1e-6, weightDecayRate: 0.01, biasCorrection: 0 });
    for (const t of [a, b, ...copy.values(), ...ga.values(), ...gab.values()]) t.dispose();
    opt.dispose(); resumed.dispose();
  });
});

describe('every optimizer', () => {
  for (const name of OPTIMIZER_NAMES) {
    it(`${name} does not leak tensors across steps`, () => {
      const params = new Map([['l.weight', tf.variable(tf.tensor([1, 2, 3]))]]);
      const opt = createOptimizer(name);
      const grads = new Map([['l.weight', tf.tensor([0.1, 0.2, 0.3])]]);
      opt.applyGradients(params, grads, 0.1);
      expectNoLeaks(() => {
        for (let i = 0; i < 5; i++) opt.applyGradients(params, grads, 0.1);
      });
      opt.dispose();
      grads.get('l.weight')!.dispose();
      params.get('l.weight')!.dispose();
    });
  }
});

describe('createOptimizer', () => {
  it('builds every name of OPTIMIZER_NAMES and rejects others', () => {
    expect(OPTIMIZER_NAMES.map((n) => createOptimizer(n).name)).toEqual(['adamw', 'adamw-uncorrected', 'lamb']);
    expect(createOptimizer('adamw')).toBeInstanceOf(AdamW);
    expect(createOptimizer('adamw-uncorrected')).toBeInstanceOf(AdamWeightDecay);
    expect(() => createOptimizer('sgd')).toThrow("optimizer: 'sgd' is not one of adamw, adamw-uncorrected, lamb");
  });
});

describe('schedule', () => {
  it('warms up linearly then decays linearly to 0 (albert create_optimizer)', () => {
    const o = { learningRate: 1e-3, totalSteps: 100, warmupSteps: 10 };
    expect(learningRateAt(0, o)).toBe(0);
    expect(learningRateAt(5, o)).toBeCloseTo(5e-4, 15);
    // at the end of warmup the polynomial decay takes over: 1e-3 * (1 - 10/100)
    expect(learningRateAt(10, o)).toBeCloseTo(9e-4, 15);
    expect(learningRateAt(55, o)).toBeCloseTo(4.5e-4, 15);
    expect(learningRateAt(100, o)).toBe(0);
    expect(learningRateAt(150, o)).toBe(0);
    expect(learningRateAt(0, { learningRate: 2, totalSteps: 4 })).toBe(2);
  });
  it('rejects a warmup longer than the run (the rate would never reach its peak)', () => {
    expect(() => validateSchedule({ learningRate: 1e-3, totalSteps: 10, warmupSteps: 11 })).toThrow('schedule.warmupSteps: 11 is longer than the run (schedule.totalSteps: 10)');
    expect(() => validateSchedule({ learningRate: 1e-3, totalSteps: 10, warmupSteps: 10 })).not.toThrow();
  });
});

describe('clipByGlobalNorm', () => {
  it('scales by clip/max(norm, clip)', () => {
    const g = new Map([['a', tf.tensor([3, 0])], ['b', tf.tensor([4])]]);
    const { grads, globalNorm } = clipByGlobalNorm(g, 1);
    expect(globalNorm).toBeCloseTo(5, 6);
    expect(Array.from(grads.get('a')!.dataSync())).toEqual([Math.fround(0.6), 0]);
    expect(grads.get('b')!.dataSync()[0]).toBeCloseTo(0.8, 6);
    const small = clipByGlobalNorm(g, 10);
    expect(Array.from(small.grads.get('a')!.dataSync())).toEqual([3, 0]);
    for (const m of [g, grads, small.grads]) for (const t of m.values()) t.dispose();
  });
});

describe('GradientAccumulator', () => {
  it('averages micro-batch gradients and frees its sums', () => {
    expectNoLeaks(() => {
      const acc = new GradientAccumulator();
      const g1 = new Map([['a', tf.tensor([1, 2])]]);
      const g2 = new Map([['a', tf.tensor([3, 6])]]);
      acc.add(g1); acc.add(g2);
      expect(acc.size).toBe(2);
      const mean = acc.take();
      expect(Array.from(mean.get('a')!.dataSync())).toEqual([2, 4]);
      expect(acc.size).toBe(0);
      for (const m of [g1, g2, mean]) for (const t of m.values()) t.dispose();
      acc.dispose();
    });
  });
});
