// Hostile input, fuzzed: corpus text files (`pnpm fuzz --parser corpus --runs N`): invalid UTF-8, NUL bytes, CR,
// CRLF, BOMs, Unicode whitespace, empty files, and one 50 MB line. Checked against the platform's UTF-8 decoder and
// against the whitespace-only difference a reader may make: no character other than whitespace is lost.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fc, fuzzParser, fuzzRuns, fuzzSelected, fuzzTimeout } from '@albert-ts/testing';
import { DataError, readTextCorpus, splitSentences, type TextFormat } from '../src/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-data-fuzz-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Text pieces a corpus can contain: words, sentence ends, every kind of line break and whitespace, NUL, BOMs. */
const piece = fc.oneof(
  fc.constantFrom('word', 'The', 'end.', 'Mr.', 'U.S.', '3.14', '"Quote."', 'é', '日本語', '🐋', '...', '?', '!'),
  fc.constantFrom(' ', '  ', '\t', '\n', '\n\n', '\r\n', '\r', '\u00a0', '\u2028', '\u3000', '\u000b', '\f'),
  fc.constantFrom('\u0000', '\ufeff', '\ud83d', '\udc0b'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

/** File contents: text (maybe with lone surrogates, which encode as U+FFFD), broken bytes, raw bytes, empty. */
const corpusBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 6, arbitrary: fc.array(piece, { maxLength: 60 }).map((p) => new TextEncoder().encode(p.join(''))) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.array(piece, { maxLength: 30 }), fc.uint8Array({ minLength: 1, maxLength: 4 }), fc.nat())
      .map(([p, bad, at]) => {
        const good = new TextEncoder().encode(p.join(''));
        const k = at % (good.length + 1);
        return Uint8Array.from([...good.subarray(0, k), ...bad, ...good.subarray(k)]);
      }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constant(new Uint8Array(0)) },
);

const nonSpace = (s: string): string => s.replace(/\s+/gu, '');

let fileNo = 0;
async function readAll(bytes: Uint8Array, format: TextFormat, chunkSize: number): Promise<string[][]> {
  const file = path.join(dir, `corpus-${fileNo++ % 8}.txt`);
  fs.writeFileSync(file, bytes);
  const docs: string[][] = [];
  for await (const d of readTextCorpus(file, format, { chunkSize })) docs.push(d.sentences);
  return docs;
}

describe('fuzz: corpus text files (readTextCorpus, both formats)', () => {
  const runs = fuzzRuns(2000);
  it.skipIf(!fuzzSelected('corpus'))(`${runs} cases: DataError exactly for invalid UTF-8; otherwise no text lost`, async () => {
    const report = await fuzzParser({
      name: 'corpus',
      runs,
      arbitrary: fc.tuple(corpusBytes, fc.constantFrom<TextFormat>('sentence-per-line', 'prose'), fc.constantFrom(1, 3, 7, 64, 65536)),
      run: ([bytes, format, chunkSize]) => readAll(bytes, format, chunkSize),
      accepts: (err) => err instanceof DataError,
      size: ([bytes]) => bytes.length,
      check: ([bytes], result) => {
        let text: string;
        try {
          text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
        } catch {
          throw new Error('invalid UTF-8 was read without a DataError');
        }
        const docs = result as string[][];
        for (const s of docs.flat()) {
          if (s === '' || s !== s.trim() || /\s\s|[^\S ]/u.test(s)) throw new Error(`sentence not normalised: ${JSON.stringify(s)}`);
        }
        if (nonSpace(docs.flat().join('')) !== nonSpace(text)) throw new Error('characters other than whitespace were lost or changed');
      },
    });
    expect(report.runs).toBe(runs);
  }, fuzzTimeout(runs));

  it('a DataError for invalid UTF-8 names the file and the byte offset the platform decoder fails at', async () => {
    await fc.assert(fc.asyncProperty(corpusBytes, async (bytes) => {
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        valid = false;
      }
      const err = await readAll(bytes, 'sentence-per-line', 5).then(() => undefined, (e: unknown) => e);
      expect(err === undefined).toBe(valid);
      if (!valid) expect((err as Error).message).toMatch(/corpus-\d\.txt: invalid UTF-8 at byte \d+/);
    }), { numRuns: 300 });
  });

  it('one 50 MB line with runs of tabs and spaces: read in seconds with memory a small multiple of the file', async () => {
    const file = path.join(dir, 'one-line.txt');
    const unit = 'lorem ipsum\t dolor  sit amet, ';
    const fd = fs.openSync(file, 'w');
    const block = unit.repeat(Math.ceil((1 << 20) / unit.length));
    for (let written = 0; written < 50e6; written += block.length) fs.writeSync(fd, block);
    fs.closeSync(fd);
    const size = fs.statSync(file).size;
    for (const format of ['sentence-per-line', 'prose'] as const) {
      const rssBefore = process.resourceUsage().maxRSS * 1024;
      const t0 = performance.now();
      let sentences = 0;
      let chars = 0;
      for await (const d of readTextCorpus(file, format)) {
        sentences += d.sentences.length;
        for (const s of d.sentences) chars += s.length;
      }
      const seconds = (performance.now() - t0) / 1000;
      const grew = process.resourceUsage().maxRSS * 1024 - rssBefore;
      expect(sentences).toBe(1); // no sentence end is followed by a capital
      // Each run of whitespace becomes one space (the unit ends with one), and the last is trimmed.
      expect(chars).toBe((size / unit.length) * unit.replace(/\s+/g, ' ').length - 1);
      expect(seconds).toBeLessThan(30); // the quadratic reader took 64 s, a ~1 GB peak
      expect(grew).toBeLessThan(12 * size);
    }
  }, 120_000);
});

describe('splitSentences', () => {
  it('keeps every word, in order, single-spaced (it no longer holds an array of all the words)', () => {
    fc.assert(fc.property(fc.array(piece, { maxLength: 80 }).map((p) => p.join('')), (text) => {
      const got = splitSentences(text);
      expect(got.join(' ')).toBe(text.split(/\s+/u).filter((w) => w !== '').join(' '));
      for (const s of got) expect(s).not.toBe('');
    }), { numRuns: 1000 });
  });
});
