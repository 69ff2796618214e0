// albert pretrain / finetune / eval as a user runs them: flags in, JSON on stdout, one-line errors with exit 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configToHf, presetConfig } from '@albert-ts/core';
import { loadBundledCorpus } from '@albert-ts/data';
import { fixturePath } from '@albert-ts/testing';
import { acquireRunLock } from '@albert-ts/trainer/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneLineUsageFailure, runMain } from './run-cli.js';

let tmp: string;
let config: string;
let corpus: string;
const vocab = fixturePath('sentencepiece', 'bpe500.model');

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-cli-train-'));
  config = path.join(tmp, 'config.json');
  fs.writeFileSync(config, JSON.stringify(configToHf(presetConfig('albert-tiny', {
    hiddenSize: 16, embeddingSize: 8, numHiddenLayers: 2, intermediateSize: 32, numAttentionHeads: 2, vocabSize: 500,
  }))));
  corpus = path.join(tmp, 'corpus.txt');
  const docs = loadBundledCorpus('sotu', 'train').slice(0, 12);
  fs.writeFileSync(corpus, docs.map((d) => d.sentences.slice(0, 30).join('\n')).join('\n\n') + '\n');
});
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

const pretrainArgs = (out: string, ...extra: string[]) => [
  'pretrain', '--config', config, '--objective', 'sop', '--corpus', corpus, '--vocab', vocab, '--steps', '3',
  '--batch-size', '2', '--max-seq-length', '16', '--eval-every', '0', '--sharing', 'shared-attention', '--backend', 'cpu',
  '--out', out, ...extra,
];

describe('albert pretrain, finetune and eval', () => {
  it('pretrain writes a checkpoint, refuses to overwrite it, resumes; finetune and eval read it', async () => {
    const out = path.join(tmp, 'run');
    const r = await runMain(pretrainArgs(out));
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ status: 'completed', step: 3, backend: 'cpu' });
    expect(Object.keys(summary.eval)).toContain('sop_accuracy');
    const cfg = JSON.parse(fs.readFileSync(path.join(summary.checkpoint, 'config.json'), 'utf8'));
    expect(cfg.albert_ts_sharing.name).toBe('shared-attention');

    const again = await runMain(pretrainArgs(out));
    expect(isOneLineUsageFailure(again), again.stderr).toBe(true);
    expect(again.stderr).toMatch(/already has checkpoints/);
    expect(again.stderr).not.toMatch(/--/);
    const resumed = await runMain(pretrainArgs(out, '--resume'));
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'completed', step: 3 });

    const ft = path.join(tmp, 'ft');
    const f = await runMain(['finetune', '--model', out, '--task', 'moby-vs-sotu', '--epochs', '1', '--batch-size', '4',
      '--max-seq-length', '16', '--max-train', '8', '--backend', 'cpu', '--out', ft]);
    expect(f.code, f.stderr).toBe(0);
    expect(JSON.parse(f.stdout)).toMatchObject({ status: 'completed', task: 'moby-vs-sotu' });
    const ftArgs = ['finetune', '--model', out, '--task', 'moby-vs-sotu', '--epochs', '1', '--batch-size', '4', '--max-seq-length', '16',
      '--max-train', '8', '--backend', 'cpu', '--out', ft];
    const ftAgain = await runMain(ftArgs);
    expect(isOneLineUsageFailure(ftAgain), ftAgain.stderr).toBe(true);
    expect(ftAgain.stderr).toMatch(/already holds a fine-tuned model .*: resume or choose another directory/);
    const ftResumed = await runMain([...ftArgs, '--resume']); // a finished fine-tune resumes to its end at once
    expect(ftResumed.code, ftResumed.stderr).toBe(0);
    expect(JSON.parse(ftResumed.stdout)).toEqual(JSON.parse(f.stdout));
    const e = await runMain(['eval', '--model', ft, '--split', 'validation', '--max-seq-length', '16', '--backend', 'cpu']);
    expect(e.code, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({ task: 'moby-vs-sotu', split: 'validation' });
  });

  it('a second run on an --out that another run holds is refused: one line naming the directory and the pid, exit 2', async () => {
    const out = path.join(tmp, 'locked');
    const lock = acquireRunLock(out, { label: 'pretrain' });
    try {
      for (const argv of [
        pretrainArgs(out),
        ['finetune', '--model', path.join(tmp, 'run'), '--task', 'spam', '--backend', 'cpu', '--out', out],
        ['sweep', '--config', config, '--corpus', corpus, '--vocab', vocab, '--optimizers', 'adamw', '--rates', '1e-3', '--tokens', '64',
          '--batch-size', '2', '--max-seq-length', '16', '--backend', 'cpu', '--out', out],
      ]) {
        const r = await runMain(argv);
        expect(isOneLineUsageFailure(r), `${argv[0]}: ${r.code} ${r.stderr}`).toBe(true);
        expect(r.stderr).toMatch(new RegExp(`^albert ${argv[0]}: ${out} is in use by another run: pid ${process.pid} \\(pretrain\\) on `));
      }
    } finally {
      lock.release();
    }
  });

  it('sweep pretrains each optimizer x rate, prints the Markdown table and resumes', async () => {
    const out = path.join(tmp, 'sweep');
    const args = ['sweep', '--config', config, '--corpus', corpus, '--vocab', vocab, '--optimizers', 'adamw,lamb', '--rates', '1e-3',
      '--tokens', '64', '--batch-size', '2', '--max-seq-length', '16', '--eval-pairs', '8', '--curve-points', '1', '--backend', 'cpu', '--out', out];
    const r = await runMain(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# Learning-rate sweep/);
    expect(r.stdout).toContain('| adamw | 0.001 | 0 | 64 |');
    expect(r.stdout).toContain('| lamb | 0.001 | 0 | 64 |');
    expect(JSON.parse(fs.readFileSync(path.join(out, 'sweep.json'), 'utf8')).cells).toHaveLength(2);
    const again = await runMain(args);
    expect(again.stdout).toBe(r.stdout);
    for (const [argv, message] of [
      [[...args.slice(0, -1), path.join(tmp, 'sweep2'), '--rates', 'fast'], /--rates must be a number, got 'fast'/],
      [[...args.slice(0, -1), path.join(tmp, 'sweep2'), '--optimizers', 'sgd'], /optimizer: 'sgd' is not one of/],
    ] as const) {
      const bad = await runMain([...argv]);
      expect(isOneLineUsageFailure(bad), `${argv.join(' ')}: ${bad.code} ${bad.stderr}`).toBe(true);
      expect(bad.stderr).toMatch(message);
    }
  });

  it('bad flags: exit code 2 and one line naming the field, never a trace', async () => {
    const out = path.join(tmp, 'bad');
    for (const [argv, message] of [
      [pretrainArgs(out, '--objective', 'mlm'), /objective: 'mlm' is not one of sop, nsp, none/],
      [pretrainArgs(out, '--steps', '0'), /steps: 0 must be an integer >= 1/],
      [pretrainArgs(out, '--steps', 'many'), /--steps must be an integer, got 'many'/],
      [pretrainArgs(out, '--sharing', 'some'), /sharing="some" must be one of all-shared/],
      [pretrainArgs(out, '--backend', 'tpu'), /--backend must be one of cpu\|wasm\|node-gpu\|node/],
      [pretrainArgs(out, '--corpus', path.join(tmp, 'nope')), /corpus: '.*nope' is neither a bundled corpus/],
      [['eval', '--model', path.join(tmp, 'nothing'), '--backend', 'cpu'], /model: .*nothing is neither a model directory/],
      [['eval', '--model', path.join(tmp, 'ft'), '--split', 'dev', '--backend', 'cpu'], /split: 'dev' is not one of/],
    ] as const) {
      const r = await runMain([...argv]);
      expect(isOneLineUsageFailure(r), `${argv.join(' ')}: ${r.code} ${r.stderr}`).toBe(true);
      expect(r.stderr).toMatch(message);
    }
  });
});
