import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '@albert-ts/testing';
import {
  ALBERT_PREPROCESSING, SentencePieceModel, tokenizerInputText, trainAlbertTokenizer, trainSentencePiece,
} from '@albert-ts/tokenizer';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';
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
    // the text is lower-cased and accent-stripped first, as the ALBERT tokenizer does with its input
    const expected = trainAlbertTokenizer(texts, { vocabSize: 300, inputNames: [fileA, fileB] }).sp.toBytes();
    expect(Buffer.from(expected).equals(bytes)).toBe(true);
    const sp = SentencePieceModel.fromBytes(bytes);
    expect(sp.vocabSize).toBe(300);
    expect(sp.encode('the people of the united states').pieces.join('')).toBe('\u2581the\u2581people\u2581of\u2581the\u2581united\u2581states');
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--out <dir> writes an HF tokenizer directory whose pieces can all be produced', async () => {
    const out = path.join(tmp, 'tok-default');
    const r = await runMain(['train-tokenizer', '--input', fileA, fileB, '--vocab-size', '400', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ out, vocab_size: 400, do_lower_case: true, keep_accents: false });
    expect(fs.readdirSync(out).sort()).toEqual(['special_tokens_map.json', 'spiece.model', 'tokenizer_config.json']);
    const config = JSON.parse(fs.readFileSync(path.join(out, 'tokenizer_config.json'), 'utf8'));
    expect(config).toMatchObject({ tokenizer_class: 'AlbertTokenizer', do_lower_case: true, keep_accents: false, remove_space: true });
    const tok = loadAlbertTokenizer(out);
    expect(tok.doLowerCase).toBe(true);
    // The training text contains upper case and accents; no piece keeps a character that the tokenizer's
    // preprocessing plus SentencePiece's normalization changes (the bug: pieces such as ▁GNU that a lower-casing
    // tokenizer never emits).
    const pieces = Array.from({ length: tok.vocabSize }, (_, id) => id)
      .filter((id) => !tok.sp.isControl(id) && !tok.sp.isUnknown(id)).map((id) => tok.sp.idToPiece(id));
    const survives = (p: string) => {
      const word = p.replace(/^\u2581/, '');
      return tok.sp.normalize(tokenizerInputText(word, ALBERT_PREPROCESSING)) === tok.sp.normalize(word);
    };
    expect(pieces.filter((p) => !survives(p))).toEqual([]);
    // ... while a vocabulary trained on the raw text (the old behaviour) has such pieces.
    const raw = SentencePieceModel.fromBytes(trainSentencePiece(texts, { vocabSize: 400 }).bytes);
    const rawPieces = Array.from({ length: raw.vocabSize }, (_, id) => raw.idToPiece(id)).filter((p) => /[A-Z]/.test(p));
    expect(rawPieces.length).toBeGreaterThan(0);
    expect(texts.join('')).toMatch(/[A-Z]/);
  });

  it('--keep-case --keep-accents trains a cased vocabulary and records it; a bare .model cannot record it', async () => {
    const out = path.join(tmp, 'tok-cased');
    const r = await runMain(['train-tokenizer', '--input', fileA, fileB, '--vocab-size', '400', '--out', out,
      '--keep-case', '--keep-accents', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const config = JSON.parse(fs.readFileSync(path.join(out, 'tokenizer_config.json'), 'utf8'));
    expect(config).toMatchObject({ do_lower_case: false, keep_accents: true });
    const tok = loadAlbertTokenizer(out);
    expect(tok.tokenize('The Union')).toEqual(expect.arrayContaining([expect.stringMatching(/[A-Z]/)]));
    const bad = await runMain(['train-tokenizer', '--input', fileA, '--vocab-size', '400', '--out', path.join(tmp, 'c.model'),
      '--keep-case', '--quiet']);
    expect(isOneLineUsageFailure(bad)).toBe(true);
    expect(bad.stderr).toMatch(/--keep-case\/--keep-accents need --out <dir>/);
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
