import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@albert-ts/testing';
import { AlbertTokenizer } from '../src/albert/albert-tokenizer.js';

interface Case {
  id: string;
  text: string;
  albert_preprocessed: string;
  hf_albert_tokenizer: { tokens: string[]; ids: number[]; input_ids: number[] };
}

const cases: Case[] = fs.readFileSync(fixturePath('sentencepiece', 'cases.jsonl'), 'utf8').split('\n')
  .filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Case);
const tok = AlbertTokenizer.fromBytes(new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', 'unigram2k.model'))));

describe('AlbertTokenizer equals HF v4.36.2 slow AlbertTokenizer', () => {
  it('preprocessText equals albert_preprocessed on every case', () => {
    const bad = cases.filter((c) => tok.preprocessText(c.text) !== c.albert_preprocessed)
      .map((c) => `${c.id}: ${JSON.stringify(tok.preprocessText(c.text))} vs ${JSON.stringify(c.albert_preprocessed)}`);
    expect(bad).toEqual([]);
  });

  it('tokens, ids and input_ids equal hf_albert_tokenizer on every case', () => {
    const bad: string[] = [];
    for (const c of cases) {
      const want = c.hf_albert_tokenizer;
      const tokens = tok.tokenize(c.text);
      const ids = tok.convertTokensToIds(tokens);
      const enc = tok.encode(c.text);
      if (JSON.stringify(tokens) !== JSON.stringify(want.tokens) || JSON.stringify(ids) !== JSON.stringify(want.ids) ||
        JSON.stringify(enc.inputIds) !== JSON.stringify(want.input_ids)) {
        bad.push(`${c.id}: ${JSON.stringify(tokens)} vs ${JSON.stringify(want.tokens)}`);
      }
      expect(enc.tokenTypeIds).toEqual(new Array(want.input_ids.length).fill(0));
      expect(enc.attentionMask).toEqual(new Array(want.input_ids.length).fill(1));
    }
    expect(bad).toEqual([]);
  });
});
