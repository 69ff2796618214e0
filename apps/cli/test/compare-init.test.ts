// albert compare-init at a micro size, as a user runs it: a 2-step pretrained micro model, then 3 seeds x 2
// initialisations of a 2-step fine-tune; the table, --json, resuming from stored runs, one-line errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configToHf, presetConfig } from '@albert-ts/core';
import { loadBundledCorpus } from '@albert-ts/data';
import { fixturePath } from '@albert-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneLineUsageFailure, runMain } from './run-cli.js';

let tmp: string;
let pretrained: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-cli-compare-'));
  const config = path.join(tmp, 'config.json');
  fs.writeFileSync(config, JSON.stringify(configToHf(presetConfig('albert-tiny', {
    hiddenSize: 16, embeddingSize: 8, numHiddenLayers: 2, intermediateSize: 32, numAttentionHeads: 2, vocabSize: 500,
  }))));
  const corpus = path.join(tmp, 'corpus.txt');
  fs.writeFileSync(corpus, loadBundledCorpus('sotu', 'train').slice(0, 8).map((d) => d.sentences.slice(0, 30).join('\n')).join('\n\n') + '\n');
  pretrained = path.join(tmp, 'pre');
  const r = await runMain(['pretrain', '--config', config, '--objective', 'sop', '--corpus', corpus, '--vocab',
    fixturePath('sentencepiece', 'bpe500.model'), '--steps', '2', '--batch-size', '2', '--max-seq-length', '16',
    '--eval-every', '0', '--backend', 'cpu', '--out', pretrained]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

const compare = (out: string, ...extra: string[]) => runMain(['compare-init', '--model', pretrained, '--task', 'moby-vs-sotu',
  '--epochs', '1', '--batch-size', '4', '--max-seq-length', '16', '--max-train', '8', '--max-eval', '10', '--lr', '1e-3',
  '--backend', 'cpu', '--out', out, ...extra]);

describe('albert compare-init', () => {
  it('fine-tunes from the checkpoint and from random init over 3 seeds; prints intervals, spread, collapses; --json; resumes', async () => {
    const out = path.join(tmp, 'cmp');
    const r = await compare(out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('run 6/6: random, seed 3');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^moby-vs-sotu: fine-tuned from .*pre and from random initialisation, 3 seeds, 2 steps each, 10 test examples \(predicting '\S+' always scores 0\.\d{3}\)$/);
    expect(lines.filter((l) => /^\| (pretrained|random) \| \d\.\d{3} \[-?\d\.\d{3}, \d\.\d{3}\] \| 1: \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\].*; 3: .* \| \d\.\d{4} \| [0-3]\/3 \|$/.test(l))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/^pretrained - random: [+-]\d\.\d{3} \[-?\d\.\d{3}, -?\d\.\d{3}\] \(paired by seed, 95% t\)$/);
    for (const dir of ['pretrained-seed-1', 'random-seed-3']) expect(fs.existsSync(path.join(out, dir, 'result.json'))).toBe(true);

    // a second call reuses the stored runs (no run is started) and --json gives the same numbers
    const again = await compare(out, '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('run 1/6');
    const j = JSON.parse(again.stdout);
    expect(j.seeds).toEqual([1, 2, 3]);
    expect(j.pretrained.runs).toHaveLength(3);
    expect(j.random.runs.map((x: { seed: number }) => x.seed)).toEqual([1, 2, 3]);
    expect(j.pretrained.accuracy.n).toBe(3);
    expect(j.pretrained.runs[0].accuracy.n).toBe(10);
    expect(typeof j.random.collapsed).toBe('number');
    expect(j.difference.value).toBeCloseTo(j.pretrained.accuracy.value - j.random.accuracy.value, 12);
    expect(lines[4]).toContain(j.pretrained.accuracy.value.toFixed(3));
  }, 240_000);

  it('bad options: one line, exit 2', async () => {
    for (const [argv, message] of [
      [['compare-init', '--model', pretrained, '--task', 'spam'], /missing required option --out/],
      [['--seeds', '1,1'], /seeds: 1,1 repeats a seed/],
      [['--seeds', '1,x'], /--seeds must be an integer, got 'x'/],
      [['--optimizer', 'sgd'], /optimizer: 'sgd' is not one of adamw, adamw-uncorrected, lamb/],
      [['--lr', '0'], /lr: 0 must be a positive finite number/],
      [['--model', path.join(tmp, 'none')], /model: .*none is neither a model directory nor a run with checkpoints/],
    ] as const) {
      const r = argv[0] === 'compare-init' ? await runMain([...argv]) : await compare(path.join(tmp, 'bad'), ...argv);
      expect(isOneLineUsageFailure(r), `${argv.join(' ')}: ${r.code} ${r.stderr}`).toBe(true);
      expect(r.stderr).toMatch(message);
    }
  });
});
