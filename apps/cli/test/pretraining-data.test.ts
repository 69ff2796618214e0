import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '@albert-ts/testing';
import { isOneLineUsageFailure, runMain } from './run-cli.js';

const vocab = fixturePath('sentencepiece', 'unigram2k.model');
let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-cli-ptdata-')); });
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

interface Line { input_ids: number[]; token_type_ids: number[]; masked_lm_positions: number[]; masked_lm_ids: number[]; label: 0 | 1 | null; doc: string }
const read = (file: string): Line[] => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

function corpusFile(name: string, content: string | Buffer): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}

describe('albert pretraining-data', () => {
  it('is deterministic: the same command twice gives identical files, another seed another file', async () => {
    const a = path.join(tmp, 'm1.jsonl');
    const b = path.join(tmp, 'm2.jsonl');
    const c = path.join(tmp, 'm3.jsonl');
    const args = ['pretraining-data', '--corpus', 'moby-dick', '--split', 'test', '--vocab', vocab, '--objective', 'sop', '--max-seq-length', '64', '--seed', '7'];
    const r = await runMain([...args, '--out', a]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^wrote \d+ instances from 13 documents/);
    expect((await runMain([...args, '--out', b])).code).toBe(0);
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
    expect((await runMain([...args.slice(0, -1), '8', '--out', c])).code).toBe(0);
    expect(fs.readFileSync(a).equals(fs.readFileSync(c))).toBe(false);
    expect(read(a).every((x) => x.doc.startsWith('moby-dick/chapter_'))).toBe(true);
  });

  it('writes SOP instances from the bundled SOTU test split', async () => {
    const a = path.join(tmp, 'a.jsonl');
    const r = await runMain(['pretraining-data', '--corpus', 'sotu', '--split', 'test', '--vocab', vocab, '--objective', 'sop', '--max-seq-length', '64', '--seed', '7', '--out', a]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^wrote \d+ instances from 24 documents/);

    const lines = read(a);
    expect(lines.length).toBeGreaterThan(1000);
    let ones = 0;
    for (const x of lines) {
      expect(Object.keys(x)).toEqual(['input_ids', 'token_type_ids', 'masked_lm_positions', 'masked_lm_ids', 'label', 'doc']);
      expect(x.input_ids.length).toBeLessThanOrEqual(64);
      expect(x.token_type_ids).toHaveLength(x.input_ids.length);
      expect(x.input_ids[0]).toBe(2); // [CLS] of the ALBERT vocabulary
      expect(x.masked_lm_positions.length).toBeLessThanOrEqual(20);
      expect(x.masked_lm_positions.every((p) => p > 0 && x.input_ids[p] !== 3)).toBe(true);
      expect(x.doc).toMatch(/^sotu\/\d{4}_/);
      expect(Number(x.doc.slice(5, 9)) % 10).toBe(0); // the test split: years ending in 0
      ones += x.label as number;
    }
    expect(Math.abs(ones / lines.length - 0.5)).toBeLessThan(0.05);
  });

  it('reads a directory in the one-sentence-per-line format with NSP and none', async () => {
    const dir = path.join(tmp, 'corpus');
    fs.mkdirSync(dir);
    const doc = (k: number) => Array.from({ length: 6 }, (_, i) => `Document ${k} says sentence ${i} about whales and ships.`).join('\n');
    fs.writeFileSync(path.join(dir, 'one.txt'), [doc(1), doc(2), doc(3)].join('\n\n'));
    fs.writeFileSync(path.join(dir, 'two.txt'), [doc(4), doc(5)].join('\n\n'));
    const out = path.join(tmp, 'nsp.jsonl');
    const r = await runMain(['pretraining-data', '--corpus', dir, '--vocab', vocab, '--objective', 'nsp', '--max-seq-length', '40', '--seed', '1', '--dupe-factor', '20', '--out', out]);
    expect(r.code).toBe(0);
    const lines = read(out);
    expect(new Set(lines.map((x) => x.doc))).toEqual(new Set([`${dir}/one.txt#0`, `${dir}/one.txt#1`, `${dir}/one.txt#2`, `${dir}/two.txt#0`, `${dir}/two.txt#1`]));
    expect(lines.some((x) => x.label === 1) && lines.some((x) => x.label === 0)).toBe(true);
    const none = path.join(tmp, 'none.jsonl');
    expect((await runMain(['pretraining-data', '--corpus', dir, '--vocab', vocab, '--objective', 'none', '--max-seq-length', '40', '--seed', '1', '--out', none])).code).toBe(0);
    expect(read(none).every((x) => x.label === null && x.token_type_ids.every((t) => t === 0))).toBe(true);
  });

  it('bad input: exit code 2 and one line on stderr', async () => {
    const base = ['--vocab', vocab, '--objective', 'sop', '--max-seq-length', '64', '--seed', '1', '--out', path.join(tmp, 'bad.jsonl')];
    const cases: [string[], RegExp][] = [
      [['--corpus', corpusFile('empty.txt', '\n\n\n')], /empty/],
      [['--corpus', corpusFile('single.txt', 'One sentence.\n\nAnother document.\n\nA third one.\n')], /single sentence/],
      [['--corpus', corpusFile('latin1.txt', Buffer.concat([Buffer.from('Caf'), Buffer.from([0xe9]), Buffer.from(' au lait.\nSecond.\n')]))], /latin1\.txt: invalid UTF-8 at byte 3/],
      [['--corpus', 'moby-dick', '--vocab', corpusFile('not-a-model.model', 'this is not a protobuf')], /--vocab '.*not-a-model\.model': not a valid SentencePiece model/],
      [['--corpus', 'moby-dick', '--vocab', path.join(tmp, 'nope.model')], /--vocab '.*nope\.model': cannot read model file .*no such file/],
      [['--corpus', path.join(tmp, 'missing-dir')], /neither a bundled corpus/],
      [['--corpus', 'sotu', '--objective', 'mlm'], /--objective must be one of/],
      [['--corpus', 'sotu', '--max-seq-length', '3'], /--max-seq-length/],
      [['--corpus', 'sotu', '--masked-lm-prob', '1.5'], /--masked-lm-prob/],
    ];
    for (const [extra, message] of cases) {
      const r = await runMain(['pretraining-data', ...base, ...extra]);
      expect(isOneLineUsageFailure(r), `${extra.join(' ')} -> ${r.code} ${r.stderr}`).toBe(true);
      expect(r.stderr).toMatch(message);
    }
    const missing = await runMain(['pretraining-data', '--corpus', 'sotu']);
    expect(isOneLineUsageFailure(missing)).toBe(true);
    const noVocab = await runMain(['pretraining-data', '--corpus', 'sotu', '--objective', 'sop', '--max-seq-length', '64',
      '--seed', '1', '--out', '-']);
    expect(isOneLineUsageFailure(noVocab)).toBe(true);
    expect(noVocab.stderr).toMatch(/--out - needs --vocab/);
    expect(fs.existsSync(path.join(tmp, 'bad.jsonl'))).toBe(false);
  });

  it('without --vocab trains a vocabulary on the corpus first and says so on stderr', async () => {
    const out = path.join(tmp, 'trained.jsonl');
    const args = ['pretraining-data', '--corpus', 'moby-dick', '--split', 'test', '--vocab-size', '500', '--objective', 'sop', '--max-seq-length', '64', '--seed', '1', '--out', out];
    const r = await runMain(args);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^no --vocab: training a 500-piece unigram vocabulary on the corpus \(\d+ sentences\) -> .*trained\.jsonl\.spiece\.model\n/);
    expect(fs.existsSync(`${out}.spiece.model`)).toBe(true);
    const lines = read(out);
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.every((x) => x.input_ids.every((id) => id >= 0 && id < 500))).toBe(true);
    // training is deterministic too
    const first = fs.readFileSync(out);
    expect((await runMain(args)).code).toBe(0);
    expect(fs.readFileSync(out).equals(first)).toBe(true);
  });
});
