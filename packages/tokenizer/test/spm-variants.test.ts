import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@albert-ts/testing';
import { SentencePieceModel } from '../src/sentencepiece.js';
import { decodeModelProto, encodeModelProto } from '../src/proto/model-proto.js';
import { variants } from './spm-variants.js';

interface Ref { generator: string; texts: string[]; variants: Record<string, { ids: number[]; pieces: string[]; decoded: string }[]> }
const ref = JSON.parse(fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'spm-variants.json'), 'utf8')) as Ref;
const base = {
  unigram: decodeModelProto(new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', 'unigram2k.model')))),
  bpe: decodeModelProto(new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', 'bpe500.model')))),
};

describe('normalizer flags and piece types match python sentencepiece 0.1.97 (model variants)', () => {
  it('covers every variant', () => {
    expect(Object.keys(ref.variants).sort()).toEqual(Object.keys(variants).sort());
    expect(ref.generator).toBe('python sentencepiece 0.1.97');
  });
  for (const [name, make] of Object.entries(variants)) {
    it(name, () => {
      const model = SentencePieceModel.fromBytes(encodeModelProto(make(base)));
      const rows = ref.variants[name]!;
      const bad: string[] = [];
      ref.texts.forEach((text, i) => {
        const got = model.encode(text);
        const want = rows[i]!;
        if (JSON.stringify(got.ids) !== JSON.stringify(want.ids) || JSON.stringify(got.pieces) !== JSON.stringify(want.pieces)) {
          bad.push(`${JSON.stringify(text).slice(0, 40)}: ${JSON.stringify(got.pieces)} vs ${JSON.stringify(want.pieces)}`);
        } else if (model.decode(got.ids) !== want.decoded) {
          bad.push(`decode ${JSON.stringify(text).slice(0, 40)}: ${JSON.stringify(model.decode(got.ids))} vs ${JSON.stringify(want.decoded)}`);
        }
      });
      expect(bad.slice(0, 5)).toEqual([]);
    });
  }
});
