import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, readLines, readTextCorpus, Utf8Validator } from '../src/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-data-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
function write(name: string, content: string | Uint8Array): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('readLines', () => {
  it('streams lines across tiny chunks, including multi-byte characters split between chunks', async () => {
    const text = '\ufeffÉté — naïve 🐋 whale\r\nline two\n\nlast without newline';
    const p = write('lines.txt', text);
    for (const chunkSize of [1, 2, 3, 5, 64]) {
      expect(await collect(readLines(p, { chunkSize }))).toEqual(['Été — naïve 🐋 whale', 'line two', '', 'last without newline']);
    }
  });

  it('names the file and byte offset of invalid UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('good line\nbad '), Buffer.from([0xff]), Buffer.from(' rest\n')]);
    const p = write('bad.txt', bytes);
    await expect(collect(readLines(p, { chunkSize: 4 }))).rejects.toThrow(DataError);
    await expect(collect(readLines(p, { chunkSize: 4 }))).rejects.toThrow(`${p}: invalid UTF-8 at byte 14`);
  });

  it('rejects overlong forms, surrogates and truncated sequences', () => {
    const check = (bytes: number[]): string => {
      const v = new Utf8Validator('f');
      try { v.push(Uint8Array.from(bytes)); v.end(); return 'ok'; } catch (e) { return (e as Error).message; }
    };
    expect(check([0x41, 0xc3, 0xa9])).toBe('ok');
    expect(check([0x41, 0xc0, 0x80])).toMatch(/at byte 1/); // overlong NUL
    expect(check([0xed, 0xa0, 0x80])).toMatch(/at byte 0/); // UTF-16 surrogate
    expect(check([0x41, 0x42, 0xf0, 0x9f, 0x90])).toMatch(/at byte 2 .*truncated/);
    expect(check([0xf4, 0x90, 0x80, 0x80])).toMatch(/at byte 0/); // > U+10FFFF
  });

  it('reports a missing file as DataError', async () => {
    await expect(collect(readLines(path.join(dir, 'nope.txt')))).rejects.toThrow(/cannot read corpus file/);
  });
});

describe('readTextCorpus', () => {
  it('reads the sentence-per-line format: blank lines and files separate documents', async () => {
    write('corpus/a.txt', 'A one.\nA two.\n\n\nB one.\n  \nC one.\nC two.\n');
    write('corpus/sub/b.txt', 'D one.\nD two.');
    write('corpus/.hidden', 'ignored\n');
    const docs = await collect(readTextCorpus(path.join(dir, 'corpus'), 'sentence-per-line', { chunkSize: 3 }));
    expect(docs.map((d) => d.sentences)).toEqual([['A one.', 'A two.'], ['B one.'], ['C one.', 'C two.'], ['D one.', 'D two.']]);
    expect(docs[0].id).toBe(`${path.join(dir, 'corpus', 'a.txt')}#0`);
    expect(docs[3].id).toBe(`${path.join(dir, 'corpus', 'sub', 'b.txt')}#0`);
  });

  it('splits prose into sentences, one document per file', async () => {
    const p = write('prose.txt', 'Call me Ishmael. Some years\nago I went to sea.\n\nMr. Queequeg slept. It rained.\n');
    const docs = await collect(readTextCorpus(p, 'prose'));
    expect(docs).toEqual([{ id: `${p}#0`, sentences: ['Call me Ishmael.', 'Some years ago I went to sea.', 'Mr. Queequeg slept.', 'It rained.'] }]);
  });

  it('streams a large file without reading it whole', async () => {
    // 20k documents; with a 4 KiB chunk the reader never holds more than a chunk plus one document
    const p = write('big.txt', Array.from({ length: 20000 }, (_, i) => `Doc ${i} first.\nDoc ${i} second.\n`).join('\n'));
    let n = 0;
    let last = '';
    for await (const d of readTextCorpus(p, 'sentence-per-line', { chunkSize: 4096 })) { n++; last = d.sentences[1]; }
    expect(n).toBe(20000);
    expect(last).toBe('Doc 19999 second.');
  });

  it('fails on a missing corpus path', async () => {
    await expect(collect(readTextCorpus(path.join(dir, 'missing')))).rejects.toThrow(/corpus path not found/);
  });
});
