import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@albert-ts/testing';
import { SentencePieceModel } from '../src/sentencepiece.js';

interface Ref {
  generator: string;
  models: Record<string, {
    texts: { id: number[]; begin: number[]; end: number[] }[];
    bytes: { b64: string; pieces: { piece: string; id: number; begin: number; end: number }[] }[];
  }>;
}
const ref = JSON.parse(fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'spm-offsets.json'), 'utf8')) as Ref;
const texts = fs.readFileSync(fixturePath('sentencepiece', 'cases.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { text: string }).text);

describe('alignment (begin/end) equals python sentencepiece 0.1.97 SentencePieceText', () => {
  for (const name of ['unigram2k', 'bpe500']) {
    const model = SentencePieceModel.fromBytes(new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', `${name}.model`))));
    const r = ref.models[name]!;

    it(`${name}: byte offsets on every fixture text`, () => {
      expect(r.texts).toHaveLength(texts.length);
      const bad: string[] = [];
      texts.forEach((t, i) => {
        const got = model.encodeWithByteOffsets(t);
        const want = r.texts[i]!;
        const wantOffsets = want.begin.map((b, k) => [b, want.end[k]]);
        if (JSON.stringify(got.ids) !== JSON.stringify(want.id) || JSON.stringify(got.offsets) !== JSON.stringify(wantOffsets)) {
          bad.push(`${i}: ${JSON.stringify(got.offsets)} vs ${JSON.stringify(wantOffsets)}`);
        }
      });
      expect(bad).toEqual([]);
    });

    it(`${name}: UTF-16 offsets slice the original text`, () => {
      texts.forEach((t, i) => {
        const want = r.texts[i]!;
        const got = model.encodeWithOffsets(t);
        got.offsets.forEach(([s, e], k) => {
          // Independent conversion: the UTF-8 bytes of the slice are the reference byte range.
          expect(Buffer.byteLength(t.slice(0, s))).toBe(want.begin[k]);
          expect(Buffer.byteLength(t.slice(0, e))).toBe(want.end[k]);
        });
      });
    });

    it(`${name}: malformed UTF-8 is replaced by U+FFFD one byte at a time, aligned to the bad byte`, () => {
      for (const c of r.bytes) {
        const got = model.encodeWithByteOffsets(new Uint8Array(Buffer.from(c.b64, 'base64')));
        expect(got.ids).toEqual(c.pieces.map((p) => p.id));
        expect(got.pieces).toEqual(c.pieces.map((p) => p.piece));
        expect(got.offsets).toEqual(c.pieces.map((p) => [p.begin, p.end]));
      }
    });
  }
});
