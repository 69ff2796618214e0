import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@albert-ts/testing';
import { SentencePieceModel } from '../src/sentencepiece.js';

interface Enc { ids: number[]; pieces: string[]; decoded?: string }
interface Case {
  id: string;
  text: string;
  unigram2k: Enc;
  bpe500: Enc;
  albert_preprocessed: string;
  unigram2k_preprocessed: Enc;
  bpe500_preprocessed: Enc;
}

const cases: Case[] = fs.readFileSync(fixturePath('sentencepiece', 'cases.jsonl'), 'utf8').split('\n')
  .filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Case);
const load = (name: string): SentencePieceModel =>
  SentencePieceModel.fromBytes(new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', `${name}.model`))));

describe('SentencePieceModel matches sentencepiece 0.1.97 on every fixture case', () => {
  const unigram = load('unigram2k');
  const bpe = load('bpe500');

  it('has 340 cases', () => {
    expect(cases.length).toBe(340);
  });

  for (const [name, model] of [['unigram2k', unigram], ['bpe500', bpe]] as const) {
    it(`${name}: raw text`, () => {
      const bad: string[] = [];
      for (const c of cases) {
        const got = model.encode(c.text);
        const want = c[name];
        if (JSON.stringify(got.ids) !== JSON.stringify(want.ids) || JSON.stringify(got.pieces) !== JSON.stringify(want.pieces)) {
          bad.push(`${c.id}: got ${JSON.stringify(got.pieces)} want ${JSON.stringify(want.pieces)}`);
        }
        expect(model.encodeIds(c.text)).toEqual(want.ids);
      }
      expect(bad).toEqual([]);
    });

    it(`${name}: ALBERT-preprocessed text`, () => {
      const bad: string[] = [];
      for (const c of cases) {
        const got = model.encode(c.albert_preprocessed);
        const want = c[`${name}_preprocessed`];
        if (JSON.stringify(got) !== JSON.stringify({ ids: want.ids, pieces: want.pieces })) {
          bad.push(`${c.id}: got ${JSON.stringify(got.pieces)} want ${JSON.stringify(want.pieces)}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it('unigram2k: decode(ids) equals sentencepiece decode', () => {
    const bad: string[] = [];
    for (const c of cases) {
      const got = unigram.decode(c.unigram2k.ids);
      if (got !== c.unigram2k.decoded) bad.push(`${c.id}: ${JSON.stringify(got)} vs ${JSON.stringify(c.unigram2k.decoded)}`);
    }
    expect(bad).toEqual([]);
  });
});
