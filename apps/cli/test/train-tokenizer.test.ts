import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '@albert-ts/testing';
import { SentencePieceModel, trainSentencePiece } from '@albert-ts/tokenizer';
import { isOneLineUsageFailure, runMain } from './run-cli.js';

// Training text: the raw texts of the tokenizer fixture cases (SOTU and Moby Dick sentences), split over two files.
const texts: string[] = fs.readFileSync(fixturePath('sentencepiece', 'cases.jsonl'), 'utf8').split('\n')
  .filter((l) => l.trim() !== '').map((l) => (JSON.parse(l) as { text: string }).text)
  .filter((t) => !/[\n\r\0]/.test(t) && t.trim() !== '');

let tmp: string;
let fileA: string;
let fileB: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-cli-train-'));
  fileA = path.join(tmp, 'a.txt');
  fileB = path.join(tmp, 'b.txt');
  const half = Math.floor(texts.length / 2);
  fs.writeFileSync(fileA, texts.slice(0, half).join('\n') + '\n');
  fs.writeFileSync(fileB, texts.slice(half).join('\n') + '\n');
});
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

describe('albert train-tokenizer', () => {
  it('trains a unigram model from several files: same bytes as the library, progress on stderr, summary on stdout', async () => {
    const out = path.join(tmp, 'uni.model');
    const r = await runMain(['train-tokenizer', '--input', fileA, fileB, '--vocab-size', '300', '--out', out]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ out, model_type: 'unigram', vocab_size: 300 });
    const stderr = r.stderr.trimEnd().split('\n');
    expect(stderr.length).toBeGreaterThan(3);
    for (const l of stderr) expect(l).toMatch(/^train-tokenizer: +\d+% [\d.]+s (load|seed|em|prune|done): /);
    expect(stderr.at(-1)).toMatch(/100% .*done: trained 300 pieces/);

    const bytes = fs.readFileSync(out);
    const expected = trainSentencePiece(texts, { vocabSize: 300, inputNames: [fileA, fileB] }).bytes;
    expect(Buffer.from(expected).equals(bytes)).toBe(true);
    const sp = SentencePieceModel.fromBytes(bytes);
    expect(sp.vocabSize).toBe(300);
    expect(sp.encode('the people of the united states').pieces.join('')).toBe('\u2581the\u2581people\u2581of\u2581the\u2581united\u2581states');
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('trains a BPE model with --model-type bpe and --input=a,b', async () => {
    const out = path.join(tmp, 'bpe.model');
    const r = await runMain(['train-tokenizer', `--input=${fileA},${fileB}`, '--vocab-size', '200', '--model-type', 'bpe', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const sp = SentencePieceModel.fromBytes(fs.readFileSync(out));
    expect(sp.modelType).toBe('bpe');
    expect(sp.vocabSize).toBe(200);
  });

  it('bad arguments and bad input: exit code 2 with one line on stderr', async () => {
    const empty = path.join(tmp, 'empty.txt');
    fs.writeFileSync(empty, '\n\n');
    const latin1 = path.join(tmp, 'latin1.txt');
    fs.writeFileSync(latin1, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const out = path.join(tmp, 'x.model');
    const cases: [string[], RegExp][] = [
      [['--vocab-size', '100', '--out', out], /missing required option --input/],
      [['--input', fileA, '--out', out], /--vocab-size/],
      [['--input', fileA, '--vocab-size', '100'], /--out/],
      [['--input', fileA, '--vocab-size', 'ten', '--out', out], /--vocab-size must be an integer/],
      [['--input', fileA, '--vocab-size', '100', '--model-type', 'word', '--out', out], /--model-type must be one of unigram\|bpe/],
      [['--input', path.join(tmp, 'missing.txt'), '--vocab-size', '100', '--out', out], /cannot read --input file .*no such file/],
      [['--input', empty, '--vocab-size', '100', '--out', out], /no usable line/],
      [['--input', latin1, '--vocab-size', '100', '--out', out], /latin1\.txt: not valid UTF-8 \(at byte 3\)/],
      [['--input', fileA, '--vocab-size', '100000', '--out', out], /vocabSize 100000 is too high for this input/],
      [['--input', fileA, '--vocab-size', '20', '--out', out], /smaller than the \d+ required characters/],
      [['--input', fileA, '--vocab-size', '300', '--out', path.join(tmp, 'no', 'dir', 'x.model')], /no such directory/],
    ];
    for (const [argv, re] of cases) {
      const r = await runMain(['train-tokenizer', ...argv, '--quiet']);
      expect(isOneLineUsageFailure(r), `${argv.join(' ')} -> ${r.code} ${r.stderr}`).toBe(true);
      expect(r.stderr).toMatch(re);
    }
    expect(fs.existsSync(out)).toBe(false);
  });
});
