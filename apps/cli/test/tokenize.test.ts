import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, repoRoot } from '@albert-ts/testing';
import { isOneLineUsageFailure, runMain, type CliResult } from './run-cli.js';

interface Case {
  id: string;
  text: string;
  unigram2k: { ids: number[]; pieces: string[] };
  hf_albert_tokenizer: { tokens: string[]; ids: number[]; input_ids: number[] };
}

const cases: Case[] = fs.readFileSync(fixturePath('sentencepiece', 'cases.jsonl'), 'utf8').split('\n')
  .filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Case);
const model = fixturePath('sentencepiece', 'unigram2k.model');

/** Runs `albert tokenize ...` in-process with `input` as stdin. */
async function tokenize(input: string | Buffer, ...argv: string[]): Promise<CliResult> {
  const descriptor = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  Object.defineProperty(process, 'stdin', { value: Readable.from([input]), configurable: true });
  try {
    return await runMain(['tokenize', ...argv]);
  } finally {
    Object.defineProperty(process, 'stdin', descriptor);
  }
}

const lines = (r: CliResult): Record<string, unknown>[] =>
  r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-cli-tokenize-')); });
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

describe('albert tokenize', () => {
  it('plain SentencePiece: ids and pieces equal the fixture for every case (strings and {"text"} objects)', async () => {
    const input = cases.map((c, i) => JSON.stringify(i % 2 === 0 ? c.text : { text: c.text })).join('\n') + '\n';
    const r = await tokenize(input, '--model', model);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = lines(r);
    expect(out).toHaveLength(cases.length);
    out.forEach((o, i) => expect(o).toEqual({ ids: cases[i]!.unigram2k.ids, pieces: cases[i]!.unigram2k.pieces }));
  });

  it('--albert: tokens, ids, input_ids equal hf_albert_tokenizer', async () => {
    const input = cases.map((c) => JSON.stringify({ text: c.text })).join('\n');
    const r = await tokenize(input, '--model', model, '--albert');
    expect(r.code).toBe(0);
    const out = lines(r);
    expect(out).toHaveLength(cases.length);
    out.forEach((o, i) => {
      const want = cases[i]!.hf_albert_tokenizer;
      expect(o).toEqual({
        tokens: want.tokens, ids: want.ids, input_ids: want.input_ids,
        token_type_ids: want.input_ids.map(() => 0), attention_mask: want.input_ids.map(() => 1),
      });
    });
  });

  it('--albert --pair: [CLS] A [SEP] B [SEP] with token types 0/1', async () => {
    const a = cases.find((c) => c.id.startsWith('sotu-'))!;
    const b = cases.find((c) => c.id.startsWith('moby-'))!;
    const r = await tokenize(JSON.stringify({ text: a.text, text_pair: b.text }) + '\n', '--model', model, '--albert', '--pair');
    expect(r.code).toBe(0);
    const [o] = lines(r);
    const ha = a.hf_albert_tokenizer.ids;
    const hb = b.hf_albert_tokenizer.ids;
    expect(o!.input_ids).toEqual([2, ...ha, 3, ...hb, 3]);
    expect(o!.token_type_ids).toEqual([...ha.map(() => 0), 0, 0, ...hb.map(() => 1), 1]);
    expect(o!.attention_mask).toEqual(new Array(ha.length + hb.length + 3).fill(1));
    expect(o!.ids).toEqual(ha);
  });

  it('--model <dir> reads the directory\'s tokenizer_config.json (a cased HF tokenizer gives HF\'s ids)', async () => {
    const dir = path.join(repoRoot, 'packages', 'tokenizer', 'test', 'fixtures', 'hf-dirs', 'hf-cased');
    const expected = (JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { text: string; input_ids: number[] }[])
      .find((e) => e.text === 'Café GNU License')!;
    const r = await tokenize(JSON.stringify(expected.text) + '\n', '--model', dir, '--albert');
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r)[0]!.input_ids).toEqual(expected.input_ids);
    const plain = await tokenize(JSON.stringify(expected.text) + '\n', '--model', path.join(dir, 'spiece.model'), '--albert');
    expect(lines(plain)[0]!.input_ids).not.toEqual(expected.input_ids);
    const empty = path.join(tmp, 'empty-dir');
    fs.mkdirSync(empty, { recursive: true });
    const bad = await tokenize('"x"\n', '--model', empty);
    expect(isOneLineUsageFailure(bad)).toBe(true);
    expect(bad.stderr).toMatch(/has no spiece\.model/);
  });

  it('bad arguments and input: exit 2 with one line on stderr', async () => {
    expect(isOneLineUsageFailure(await tokenize('"x"\n'))).toBe(true);
    expect(isOneLineUsageFailure(await tokenize('"x"\n', '--model', path.join(tmp, 'missing.model')))).toBe(true);
    const png = path.join(tmp, 'image.model');
    fs.writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'));
    const r1 = await tokenize('"x"\n', '--model', png);
    expect(isOneLineUsageFailure(r1)).toBe(true);
    expect(r1.stderr).toMatch(/TokenizerError|SentencePiece/i);
    const r2 = await tokenize('"ok"\n{not json\n', '--model', model);
    expect(isOneLineUsageFailure(r2)).toBe(true);
    expect(r2.stderr).toMatch(/line 2/);
    expect(lines(r2)).toHaveLength(1);
    expect(isOneLineUsageFailure(await tokenize('"x"\n', '--model', model, '--pair'))).toBe(true);
    expect(isOneLineUsageFailure(await tokenize('{"text": 3}\n', '--model', model))).toBe(true);
    expect(isOneLineUsageFailure(await tokenize('"x"\n', '--model', model, '--bogus'))).toBe(true);
    // Not UTF-8 (Latin-1 "café" on line 3): named, not silently replaced by U+FFFD; lines 1-2 are delivered.
    const latin1 = Buffer.concat([Buffer.from('"one"\r\n"two"\n"caf'), Buffer.from([0xe9]), Buffer.from('"\n"four"\n')]);
    const r3 = await tokenize(latin1, '--model', model);
    expect(isOneLineUsageFailure(r3)).toBe(true);
    expect(r3.stderr).toBe('albert tokenize: stdin line 3: not valid UTF-8\n');
    expect(lines(r3)).toHaveLength(2);
  });
});
