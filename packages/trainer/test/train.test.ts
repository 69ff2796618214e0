import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@albert-ts/core';
import { expectNoLeaks } from '@albert-ts/testing';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AdamW, Lamb, NonFiniteLossError, SEED_KEYS, TrainerError, hfFormat, memoryCheckpoints, train, trainStep, trainStepAsync,
} from '../src/index.js';
import { LinearRegression, type XY, regressionBatches, tinyAlbert, tokenBatches } from './helpers/models.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const schedule = { learningRate: 0.05, totalSteps: 40, warmupSteps: 4 };
const values = (vars: Map<string, tf.Variable>) => [...vars].map(([n, v]) => [n, Array.from(v.dataSync())]);

describe('train: any model with compute() and namedParameters()', () => {
  it('fits a user-written regression model, records metrics from compute, and leaks nothing per step', async () => {
    const model = new LinearRegression();
    const counts = new Map<number, number>();
    const r = await train(model, regressionBatches(), {
      optimizer: new AdamW({ weightDecayRate: 0 }), schedule, tokensPerBatch: 8,
      onStep: (info) => { counts.set(info.step, tf.memory().numTensors); },
    });
    expect(r.status).toBe('completed');
    expect(r.step).toBe(40);
    const trainRecords = r.records.filter((x) => x.type === 'train');
    expect(trainRecords).toHaveLength(40);
    expect(trainRecords[0]).toMatchObject({ step: 1, lr: 0 });
    expect(typeof trainRecords[0].mae).toBe('number');
    expect(trainRecords[39].loss as number).toBeLessThan((trainRecords[4].loss as number) / 4);
    expect(r.records[0]).toMatchObject({ type: 'event', event: 'start', parameters: 4, backend: 'cpu' });
    expect(r.tokensSeen).toBe(320);
    expect(counts.get(40)).toBe(counts.get(2));
    model.dispose();
  });

  it('one step of train is exactly trainStep with the derived dropout seed', async () => {
    const a = new LinearRegression();
    const b = new LinearRegression();
    const optA = new Lamb();
    const optB = new Lamb();
    await train(a, regressionBatches(), { optimizer: optA, schedule: () => 0.01, steps: 1, seed: 9 });
    const batch = regressionBatches().next();
    const r = expectNoLeaks(() => trainStep(b, [batch], { optimizer: optB, learningRate: 0.01, dropoutSeeds: [deriveSeed(9, SEED_KEYS.dropout, 0, 0)] }),
      { keeps: 2 * b.namedParameters().size }); // LAMB's m and v of each parameter, created by the first update
    expect(r.applied).toBe(true);
    expect(values(b.namedParameters())).toEqual(values(a.namedParameters()));
    tf.dispose([batch.x, batch.y]);
    for (const x of [a, b, optA, optB]) x.dispose();
  });

  it('accumulates: two micro-batches of 4 give the gradient of one batch of 8 (trainStep = trainStepAsync)', async () => {
    const whole = new LinearRegression();
    const parts = new LinearRegression();
    whole.w.assign(tf.tensor2d([[0.1], [0.2], [0.3]]));
    parts.w.assign(tf.tensor2d([[0.1], [0.2], [0.3]]));
    const big = regressionBatches(8).next();
    const half = (lo: number): XY => ({ x: tf.slice(big.x, [lo, 0], [4, 3]), y: tf.slice(big.y, [lo], [4]) });
    const [h1, h2] = [half(0), half(4)];
    const opts = { learningRate: 0.1, clipNorm: 100 };
    const noDropout = { compute: (bt: XY, o: { training: boolean }) => whole.compute(bt, { ...o, training: false }), namedParameters: () => whole.namedParameters() };
    const noDropout2 = { compute: (bt: XY, o: { training: boolean }) => parts.compute(bt, { ...o, training: false }), namedParameters: () => parts.namedParameters() };
    const o1 = new AdamW({ weightDecayRate: 0 });
    const o2 = new AdamW({ weightDecayRate: 0 });
    const r1 = trainStep(noDropout, [big], { ...opts, optimizer: o1 });
    const r2 = await trainStepAsync(noDropout2, [h1, h2], { ...opts, optimizer: o2 });
    expect(r2.loss).toBeCloseTo(r1.loss, 6);
    expect(r2.gradNorm).toBeCloseTo(r1.gradNorm, 5);
    values(parts.namedParameters()).forEach(([, v], i) => (v as number[]).forEach((x, k) => expect(x).toBeCloseTo((values(whole.namedParameters())[i][1] as number[])[k], 6)));
    tf.dispose([big.x, big.y, h1.x, h1.y, h2.x, h2.y]);
    for (const x of [whole, parts, o1, o2]) x.dispose();
  });

  it('trains an ALBERT with a stub embedding, a user sharing and a user head; resumes bit for bit', async () => {
    const opts = { schedule: { learningRate: 3e-3, totalSteps: 6, warmupSteps: 1 }, seed: 5, accumulate: 2, run: { data: 'tokens' } };
    const full = tinyAlbert();
    const fullRun = await train(full, tokenBatches(), { ...opts, optimizer: new Lamb() });
    const losses = fullRun.records.filter((x) => x.type === 'train').map((x) => x.loss);

    const ckpt = memoryCheckpoints<ReturnType<typeof tinyAlbert>>({ every: 2, format: hfFormat({ config: { note: 'x' } }) });
    const first = tinyAlbert();
    const stopped = await train(first, tokenBatches(), { ...opts, optimizer: new Lamb(), checkpoint: ckpt, onStep: (i) => (i.step === 3 ? 'stop' : undefined) });
    expect(stopped).toMatchObject({ status: 'stopped', step: 3, checkpoint: 'memory:step-3' });
    expect([...ckpt.files(3)!.keys()].sort()).toEqual(['config.json', 'model.safetensors', 'trainer_state/optimizer.safetensors', 'trainer_state/state.json']);
    expect(JSON.parse(new TextDecoder().decode(ckpt.files(3)!.get('config.json')))).toMatchObject({ note: 'x', albert_ts_sharing: { name: 'paired-attention' } });

    const resumedModel = tinyAlbert(99); // different initial weights: everything must come from the checkpoint
    const resumed = await train(resumedModel, tokenBatches(), { ...opts, optimizer: new Lamb(), checkpoint: ckpt });
    expect(resumed.resumedFrom).toBe(3);
    expect(resumed.records.filter((x) => x.type === 'train').map((x) => x.loss)).toEqual(losses);
    expect(values(resumedModel.namedParameters())).toEqual(values(full.namedParameters()));
    await expect(train(tinyAlbert(), tokenBatches(), { ...opts, seed: 6, optimizer: new Lamb(), checkpoint: ckpt }))
      .rejects.toThrow('resume: seed is 6 but the checkpoint was trained with 5');
    for (const m of [full, first, resumedModel]) m.dispose();
  });

  it('reads each step back asynchronously: no dataSync/arraySync (webgpu reads synchronously slowly, or as zeros)', async () => {
    const model = tinyAlbert();
    const reference = await train(tinyAlbert(), tokenBatches(), { optimizer: new Lamb(), schedule: { learningRate: 3e-3, totalSteps: 3 }, accumulate: 2 });
    const sync = [vi.spyOn(tf.Tensor.prototype, 'dataSync'), vi.spyOn(tf.Tensor.prototype, 'arraySync')];
    try {
      const r = await train(model, tokenBatches(), { optimizer: new Lamb(), schedule: { learningRate: 3e-3, totalSteps: 3 }, accumulate: 2 });
      for (const spy of sync) expect(spy).not.toHaveBeenCalled();
      const losses = (x: typeof r) => x.records.filter((rec) => rec.type === 'train').map((rec) => [rec.loss, rec.grad_norm]);
      expect(losses(r)).toEqual(losses(reference));
      expect(r.records.at(-1)).toMatchObject({ step: 3, first_token_loss: expect.any(Number) });
    } finally {
      sync.forEach((spy) => spy.mockRestore());
      model.dispose();
    }
  });

  it('replays a plain iterable on resume (no cursor): the same batches, the same losses', async () => {
    const data = () => { const s = regressionBatches(); return Array.from({ length: 8 }, () => s.next()); };
    const o = { schedule: { learningRate: 0.05, totalSteps: 8 }, disposeBatches: false };
    const full = await train(new LinearRegression(), data(), { ...o, optimizer: new AdamW() });
    const ckpt = memoryCheckpoints<LinearRegression>();
    await train(new LinearRegression(), data(), { ...o, optimizer: new AdamW(), checkpoint: ckpt, onStep: (i) => (i.step === 5 ? 'stop' : undefined) });
    const resumed = await train(new LinearRegression(), data(), { ...o, optimizer: new AdamW(), checkpoint: ckpt });
    const loss = (r: typeof full) => r.records.filter((x) => x.type === 'train').map((x) => x.loss);
    expect(loss(resumed)).toEqual(loss(full));
    await expect(train(new LinearRegression(), data().slice(0, 3), { ...o, optimizer: new AdamW() }))
      .rejects.toThrow('batches: the stream ended after 3 batches, before the last step');
  });

  it('a non-finite loss stops before any weight changes and names the last good checkpoint', async () => {
    const model = new LinearRegression();
    const ckpt = memoryCheckpoints<LinearRegression>({ every: 1 });
    let before: unknown;
    const err = await train(model, regressionBatches(), {
      optimizer: new AdamW(), schedule, checkpoint: ckpt,
      onStep: (info) => { if (info.step === 3) { model.scale = Infinity; before = values(model.namedParameters()); } },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect((err as Error).message).toBe('loss is Infinity at step 4; stopped without updating the weights; last good checkpoint: memory:step-3');
    expect((err as NonFiniteLossError).step).toBe(4);
    expect(values(model.namedParameters())).toEqual(before);
    model.dispose();
  });

  it('an aborted signal interrupts between steps and saves; a throwing hook aborts the run', async () => {
    const controller = new AbortController();
    const ckpt = memoryCheckpoints<LinearRegression>();
    const r = await train(new LinearRegression(), regressionBatches(), {
      optimizer: new Lamb(), schedule, checkpoint: ckpt, signal: controller.signal,
      onStep: (info) => { if (info.step === 2) controller.abort(); },
    });
    expect(r).toMatchObject({ status: 'interrupted', step: 2, checkpoint: 'memory:step-2' });
    class Collapse extends TrainerError {}
    await expect(train(new LinearRegression(), regressionBatches(), {
      optimizer: new Lamb(), schedule, onStep: [() => undefined, (info) => { if (info.step === 2) throw new Collapse('collapsed at step 2'); }],
    })).rejects.toThrow(Collapse);
  });

  it('validates its options with field-typed TrainerErrors', async () => {
    const go = (o: object) => train(new LinearRegression(), regressionBatches(), { optimizer: new Lamb(), schedule, ...o })
      .then(() => undefined, (e: unknown) => e as TrainerError);
    for (const [o, field, message] of [
      [{ steps: 0 }, 'steps', 'steps: 0 must be an integer >= 1'],
      [{ accumulate: 1.5 }, 'accumulate', 'accumulate: 1.5 must be an integer >= 1'],
      [{ clipNorm: -1 }, 'clipNorm', 'clipNorm: -1 must be a positive finite number'],
      [{ schedule: { learningRate: 1, totalSteps: 5, warmupSteps: 6 } }, 'schedule.warmupSteps', 'schedule.warmupSteps: 6 is longer than the run (schedule.totalSteps: 5)'],
      [{ schedule: () => 1 }, 'steps', 'steps: required with a function schedule'],
    ] as const) {
      const e = await go(o);
      expect(e).toBeInstanceOf(TrainerError);
      expect(e!.message).toBe(message);
      expect(e!.field).toBe(field);
    }
    expect(() => new Lamb({ beta1: 1 })).toThrow('beta1: 1 must be in [0, 1)');
    expect(new AdamW({ weightDecayRate: 0.02 }).hyperparameters).toEqual({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecayRate: 0.02, biasCorrection: 1 });
  });
});
