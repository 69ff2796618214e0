import '@tensorflow/tfjs-backend-cpu';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '@albert-ts/core';
import { expectNoLeaks } from '@albert-ts/testing';
import { CollapseError, TrainerError } from '@albert-ts/trainer';
import { evaluateClassifier, finetune, pretrain } from '../src/index.js';
import { VOCAB, microConfig, smallCorpus, tmpOut } from './helpers/tiny.js';

let pretrained: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  pretrained = tmpOut();
  await pretrain({
    config: microConfig(), objective: 'sop', corpus: smallCorpus(12), vocab: VOCAB, steps: 2, batchSize: 2,
    maxSeqLength: 16, evalEvery: 0, out: pretrained, progress: false, handleSignals: false,
  });
});

describe('finetune', () => {
  it('fine-tunes a pretrained run dir, saves an HF classifier that eval reloads with the same metrics', async () => {
    const out = tmpOut();
    const r = await expectNoLeaks(() => finetune({
      model: pretrained, task: 'moby-vs-sotu', out, epochs: 1, batchSize: 4, maxSeqLength: 16, lr: 1e-3,
      maxTrainExamples: 16, maxEvalExamples: 12, progress: false, handleSignals: false,
    }));
    expect(r.labels).toEqual(['sotu', 'moby-dick']);
    expect(r.epochs).toHaveLength(1);
    expect(r.test.count).toBe(12);
    expect(r.test.accuracy).toBeGreaterThanOrEqual(0);
    const cfg = JSON.parse(fs.readFileSync(path.join(r.checkpoint, 'config.json'), 'utf8'));
    expect(cfg.architectures).toEqual(['AlbertForSequenceClassification']);
    expect(cfg.id2label).toEqual({ 0: 'sotu', 1: 'moby-dick' });
    // eval on the full test split agrees with itself and reports the same keys
    const e = await expectNoLeaks(() => evaluateClassifier({ model: out, split: 'validation', maxSeqLength: 16 }));
    expect(e.task).toBe('moby-vs-sotu');
    expect(e.accuracy).toBeGreaterThanOrEqual(0);
    expect(e.accuracy).toBeLessThanOrEqual(1);
    // the saved directory is an HF AlbertForSequenceClassification: backbone under albert., head in torch layout
    const names = [...readSafetensors(new Uint8Array(fs.readFileSync(path.join(r.checkpoint, 'model.safetensors')))).keys()];
    expect(names).toContain('classifier.weight');
    expect(names.filter((n) => !n.startsWith('albert.') && !n.startsWith('classifier.'))).toEqual([]);
    expect(fs.existsSync(path.join(r.checkpoint, 'spiece.model'))).toBe(true);
  });

  it('stops a collapsing fine-tune (absurd rate, uncorrected AdamW) with a one-line error naming the checkpoint to start again from', async () => {
    const o = {
      model: pretrained, task: 'moby-vs-sotu', epochs: 4, batchSize: 8, maxSeqLength: 16, lr: 0.03, optimizer: 'adamw-uncorrected',
      maxTrainExamples: 64, maxEvalExamples: 8, progress: false, handleSignals: false,
    } as const;
    const err = await finetune({ ...o, out: tmpOut(), collapse: { patience: 8 } }).then(() => undefined, (e: unknown) => e as CollapseError);
    expect(err).toBeInstanceOf(CollapseError);
    expect(err!.message).toMatch(/^training collapsed at step \d+: since step \d+ the pooled \[CLS\] spread is 0\.000\d .*the learning rate is likely too high \(peak 2\.7e-2\): start again from the pretrained checkpoint \S+step-0*2 with a lower rate, e\.g\. 6\.8e-3$/); // peak: the warmed-up rate of step 3
    // report: the run finishes, the result carries the report; a collapsed classifier's test spread is ~0
    const r = await finetune({ ...o, out: tmpOut(), collapse: { patience: 8, action: 'report' } });
    expect(r.status).toBe('completed');
    expect(r.collapse?.step).toBeLessThan(32);
    expect(r.records.filter((x) => x.event === 'collapse')).toHaveLength(1);
    expect(r.test.pooledSpread).toBeLessThan(1e-3);
  });

  it('resumes an interrupted fine-tune exactly: the weights, epochs and test metrics of an uninterrupted run', async () => {
    const o = {
      model: pretrained, task: 'moby-vs-sotu', epochs: 2, batchSize: 4, maxSeqLength: 16, lr: 1e-3, maxTrainExamples: 16,
      maxEvalExamples: 8, saveEvery: 1, progress: false, handleSignals: false,
    } as const;
    const full = await finetune({ ...o, out: tmpOut() });
    const out = tmpOut();
    expect((await finetune({ ...o, out, stopAfter: 3 })).status).toBe('stopped'); // inside epoch 1
    await expect(finetune({ ...o, out })).rejects.toThrow(/already holds a fine-tuned model .*: resume or choose another directory$/);
    expect((await finetune({ ...o, out, resume: true, stopAfter: 3 })).status).toBe('stopped'); // past epoch 1's evaluation
    const resumed = await finetune({ ...o, out, resume: true });
    expect(resumed.status).toBe('completed');
    const weights = (dir: string) => fs.readFileSync(path.join(dir, 'model.safetensors'));
    expect(weights(resumed.checkpoint).equals(weights(full.checkpoint))).toBe(true);
    expect(resumed.epochs).toEqual(full.epochs);
    expect(resumed.test).toEqual(full.test);
    const strip = (rs: typeof full.records) => rs.map(({ tokens_per_s: _t, ...r }) => r);
    expect(strip(resumed.records)).toEqual(strip(full.records));
  });

  it('rejects a directory that is not a model and a classifier evaluated on a task with other labels', async () => {
    await expect(finetune({ model: tmpOut(), task: 'spam', out: tmpOut(), progress: false })).rejects.toThrow(TrainerError);
    await expect(evaluateClassifier({ model: pretrained })).rejects.toThrow(/not a fine-tuned sequence classifier/);
    await expect(finetune({
      model: pretrained, task: 'moby-vs-sotu', out: tmpOut(), warmupProportion: 1.5, maxTrainExamples: 4, maxEvalExamples: 2,
      maxSeqLength: 16, progress: false, handleSignals: false,
    })).rejects.toThrow('warmupProportion: 1.5 must be in [0, 1]');
  });
});
