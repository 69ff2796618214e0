import '@tensorflow/tfjs-backend-cpu';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, RunLockedError, acquireRunLock } from '@albert-ts/trainer/node';
import { type PretrainOptions, finetune, pretrain, sweep } from '../src/index.js';
import { VOCAB, microConfig, smallCorpus, tmpOut } from './helpers/tiny.js';

let corpus: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  corpus = smallCorpus(12);
});
const base = (out: string): PretrainOptions => ({
  config: microConfig(), objective: 'sop', corpus, vocab: VOCAB, steps: 1, batchSize: 2, maxSeqLength: 16, evalEvery: 0,
  out, progress: false, handleSignals: false,
});

describe('the recipes lock their output directory', () => {
  it('pretrain, finetune and sweep refuse a directory another run holds, naming it and the pid', async () => {
    const out = tmpOut();
    const lock = acquireRunLock(out, { label: 'other run' });
    const refused = new RegExp(`^${out} is in use by another run: pid ${process.pid} \\(other run\\) on .*\\(lock file ${out}/\\.lock\\)`);
    await expect(pretrain(base(out))).rejects.toThrow(refused);
    await expect(pretrain(base(out))).rejects.toBeInstanceOf(RunLockedError);
    await expect(finetune({ model: out, task: 'spam', out, progress: false })).rejects.toThrow(refused);
    await expect(sweep({
      config: microConfig(), corpus, optimizers: ['adamw'], rates: [1e-3], tokens: 64, batchSize: 2, maxSeqLength: 16, out, progress: false,
    })).rejects.toThrow(refused);
    expect(fs.readdirSync(out)).toEqual([LOCK_FILE]); // nothing was written
    lock.release();
  });

  it('releases the lock when the run fails, and takes over the lock of a run that is gone with a note', async () => {
    const out = tmpOut();
    await expect(pretrain({ ...base(out), corpus: path.join(out, 'missing.txt') })).rejects.toThrow(/corpus/);
    expect(fs.existsSync(path.join(out, LOCK_FILE))).toBe(false);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid; // a process that has exited
    fs.writeFileSync(path.join(out, LOCK_FILE), JSON.stringify({ pid: gone, hostname: os.hostname(), started: '2024-01-01T00:00:00.000Z', label: 'pretrain' }));
    let stderr = '';
    const r = await pretrain({ ...base(out), progress: { write: (s: string) => { stderr += s; return true; } } });
    expect(r.status).toBe('completed');
    expect(stderr.split('\n')[0]).toBe(`taking over the lock of ${out}: pid ${gone} (pretrain) on ${os.hostname()}, started 2024-01-01T00:00:00.000Z left it and that process is gone`);
    expect(fs.existsSync(path.join(out, LOCK_FILE))).toBe(false);
  });
});
