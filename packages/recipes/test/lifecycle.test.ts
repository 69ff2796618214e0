import '@tensorflow/tfjs-backend-cpu';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { latestCheckpoint, readTrainerState } from '@albert-ts/trainer/node';
import { pretrain } from '../src/index.js';
import { spawnTs } from '@albert-ts/testing';
import { VOCAB, microConfig, smallCorpus, tmpOut } from './helpers/tiny.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let corpus: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  corpus = smallCorpus(12);
});

describe('training lifecycle', () => {
  it('does not leak tensors: numTensors after step 2 equals numTensors after the last step', async () => {
    const counts = new Map<number, number>();
    const steps = Number(process.env.LEAK_STEPS ?? 40);
    await pretrain({
      config: microConfig({ numHiddenLayers: 1 }), objective: 'sop', corpus, vocab: VOCAB, steps, batchSize: 2,
      maxSeqLength: 12, evalEvery: 20, evalExamples: 4, saveEvery: 25, out: tmpOut(), progress: false,
      handleSignals: false, gradientAccumulation: 2,
      onStep: ({ step }) => { counts.set(step, tf.memory().numTensors); },
    });
    expect(counts.get(steps)).toBe(counts.get(2));
  });

  it('SIGTERM saves a checkpoint at the current step and exits 0', async () => {
    const out = tmpOut();
    const child = spawnTs(path.join(here, 'helpers', 'pretrain-child.ts'), { CORPUS: corpus, OUT: out }, path.dirname(here));
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    // never leave the child running if an assertion below fails or the test times out
    const guard = setTimeout(() => child.kill('SIGKILL'), 100_000);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (/step 3\n/.test(stdout)) resolve();
      });
      void exited.then(() => reject(new Error(`child exited early: ${stderr}`)));
    });
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
    const m = /status interrupted (\d+)/.exec(stdout);
    expect(m, stdout).not.toBeNull();
    clearTimeout(guard);
    const dir = latestCheckpoint(out)!;
    expect(readTrainerState(dir).state.step).toBe(Number(m![1]));
  });
});
