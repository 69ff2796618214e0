import '@tensorflow/tfjs-backend-cpu';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Lamb, PARAMETERS_FILE, TrainerError, train } from '../src/index.js';
import { diskCheckpoints, latestCheckpoint, metricsFile, readTrainerState, stopOnSignals } from '../src/node/index.js';
import { LinearRegression, regressionBatches } from './helpers/models.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'albert-train-'));
const schedule = { learningRate: 0.05, totalSteps: 12, warmupSteps: 2 };
const lines = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => {
  const r = JSON.parse(l);
  delete r.tokens_per_s;
  return r;
});

describe('@albert-ts/trainer/node', () => {
  it('disk checkpoints and a JSONL metrics file: stop, resume, same losses and the same file', async () => {
    const full = tmp();
    await train(new LinearRegression(), regressionBatches(), {
      optimizer: new Lamb(), schedule, seed: 2, metrics: metricsFile(path.join(full, 'metrics.jsonl')), checkpoint: diskCheckpoints(full),
    });
    const out = tmp();
    const opts = () => ({
      optimizer: new Lamb(), schedule, seed: 2, tokensPerBatch: 24, metrics: metricsFile(path.join(out, 'metrics.jsonl')),
      checkpoint: diskCheckpoints<LinearRegression>(out, { every: 4, resume: true }),
    });
    const first = await train(new LinearRegression(), regressionBatches(), { ...opts(), onStep: (i) => (i.step === 7 ? 'stop' : undefined) });
    expect(first.checkpoint).toBe(path.join(out, 'checkpoints', 'step-00000007'));
    expect(fs.readdirSync(path.join(out, 'checkpoints'))).toEqual(['step-00000004', 'step-00000007']);
    expect(fs.existsSync(path.join(first.checkpoint!, PARAMETERS_FILE))).toBe(true);
    expect(readTrainerState(latestCheckpoint(out)!).state).toMatchObject({ step: 7, dataCursor: 7, tokensSeen: 168 });
    const second = await train(new LinearRegression(), regressionBatches(), opts());
    expect(second.resumedFrom).toBe(7);
    expect(lines(path.join(out, 'metrics.jsonl'))).toEqual(lines(path.join(full, 'metrics.jsonl')));
    expect(second.tokensSeen).toBe(12 * 24);
  });

  it('refuses a directory that already has checkpoints unless resuming', async () => {
    const out = tmp();
    await train(new LinearRegression(), regressionBatches(), { optimizer: new Lamb(), schedule, checkpoint: diskCheckpoints(out) });
    const err = await train(new LinearRegression(), regressionBatches(), { optimizer: new Lamb(), schedule, checkpoint: diskCheckpoints(out) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainerError);
    expect((err as Error).message).toBe(`${out} already has checkpoints: resume from them or choose another directory`);
    expect((err as Error).message).not.toMatch(/--/);
  });

  it('stopOnSignals turns a signal into an interruption with a checkpoint', async () => {
    const out = tmp();
    const stop = stopOnSignals(['SIGUSR2']);
    try {
      const r = await train(new LinearRegression(), regressionBatches(), {
        optimizer: new Lamb(), schedule, signal: stop.signal, checkpoint: diskCheckpoints(out),
        onStep: (i) => { if (i.step === 3) process.emit('SIGUSR2', 'SIGUSR2'); },
      });
      expect(r).toMatchObject({ status: 'interrupted', step: 3 });
      expect(stop.received).toBe('SIGUSR2');
      expect(readTrainerState(latestCheckpoint(out)!).state.step).toBe(3);
    } finally {
      stop.dispose();
    }
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
