import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@albert-ts/testing';
import { AlbertTokenizer } from '../src/albert/albert-tokenizer.js';
import { TokenizerError } from '../src/errors.js';
import { encodeModelProto, PieceType } from '../src/proto/model-proto.js';

interface Case { id: string; text: string; hf_albert_tokenizer: { ids: number[] } }
const cases: Case[] = fs.readFileSync(fixturePath('sentencepiece', 'cases.jsonl'), 'utf8').split('\n')
  .filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Case);
const tok = AlbertTokenizer.fromBytes(new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', 'unigram2k.model'))));

// Two reference sequences from the fixture (HF ids without special tokens).
const long = cases.filter((c) => c.hf_albert_tokenizer.ids.length >= 12)[0]!;
const short = cases.filter((c) => c.hf_albert_tokenizer.ids.length >= 5 && c.hf_albert_tokenizer.ids.length <= 8)[0]!;
const A = long.hf_albert_tokenizer.ids;
const B = short.hf_albert_tokenizer.ids;
const CLS = 2, SEP = 3, PAD = 0;

describe('AlbertTokenizer pair encoding, truncation and padding (HF semantics)', () => {
  it('special token ids', () => {
    expect([tok.clsTokenId, tok.sepTokenId, tok.padTokenId, tok.unkTokenId, tok.maskTokenId]).toEqual([2, 3, 0, 1, 4]);
  });

  it('pair: [CLS] A [SEP] B [SEP], types 0 then 1', () => {
    const enc = tok.encode(long.text, short.text);
    expect(enc.inputIds).toEqual([CLS, ...A, SEP, ...B, SEP]);
    expect(enc.tokenTypeIds).toEqual([...new Array(A.length + 2).fill(0), ...new Array(B.length + 1).fill(1)]);
    expect(enc.attentionMask).toEqual(new Array(A.length + B.length + 3).fill(1));
  });

  it('addSpecialTokens: false', () => {
    expect(tok.encode(long.text, undefined, { addSpecialTokens: false }).inputIds).toEqual(A);
  });

  it('longest_first removes one token at a time from the longer sequence (ties: the second)', () => {
    // Total A+B+3; cut so that A is trimmed down to B's length, then both alternately.
    const max = 2 * B.length + 3 - 1; // remove A.length - B.length + 1 tokens
    const enc = tok.encode(long.text, short.text, { maxLength: max, truncation: 'longest_first' });
    // A shrinks to B.length (A longer), then tie -> B loses one.
    expect(enc.inputIds).toEqual([CLS, ...A.slice(0, B.length), SEP, ...B.slice(0, B.length - 1), SEP]);
    expect(enc.inputIds).toHaveLength(max);
    expect(tok.encode(long.text, short.text, { maxLength: max, truncation: true }).inputIds).toEqual(enc.inputIds);
  });

  it('only_first / only_second', () => {
    const max = A.length + B.length + 3 - 2;
    expect(tok.encode(long.text, short.text, { maxLength: max, truncation: 'only_first' }).inputIds)
      .toEqual([CLS, ...A.slice(0, A.length - 2), SEP, ...B, SEP]);
    expect(tok.encode(long.text, short.text, { maxLength: max, truncation: 'only_second' }).inputIds)
      .toEqual([CLS, ...A, SEP, ...B.slice(0, B.length - 2), SEP]);
    // HF leaves the input unchanged when the chosen sequence is too short to remove enough tokens.
    const tiny = B.length + 3;
    expect(tok.encode(long.text, short.text, { maxLength: tiny, truncation: 'only_second' }).inputIds)
      .toEqual([CLS, ...A, SEP, ...B, SEP]);
  });

  it('single sequence truncation keeps [CLS] ... [SEP]', () => {
    const enc = tok.encode(long.text, undefined, { maxLength: 6, truncation: true });
    expect(enc.inputIds).toEqual([CLS, ...A.slice(0, 4), SEP]);
  });

  it('padding max_length and padToMultipleOf', () => {
    const enc = tok.encode(short.text, undefined, { maxLength: B.length + 5, padding: 'max_length' });
    expect(enc.inputIds).toEqual([CLS, ...B, SEP, PAD, PAD, PAD]);
    expect(enc.tokenTypeIds).toEqual(new Array(B.length + 5).fill(0));
    expect(enc.attentionMask).toEqual([...new Array(B.length + 2).fill(1), 0, 0, 0]);
    const m = tok.encode(short.text, undefined, { padding: true, padToMultipleOf: 16 });
    expect(m.inputIds.length % 16).toBe(0);
    expect(m.inputIds.slice(0, B.length + 2)).toEqual([CLS, ...B, SEP]);
  });

  it('batch: longest padding, pairs and singles', () => {
    const rows = tok.encodeBatch([short.text, [long.text, short.text]], { padding: 'longest' });
    const n = A.length + B.length + 3;
    expect(rows[1]!.inputIds).toEqual([CLS, ...A, SEP, ...B, SEP]);
    expect(rows[0]!.inputIds).toEqual([CLS, ...B, SEP, ...new Array(n - B.length - 2).fill(PAD)]);
    expect(rows[0]!.attentionMask).toEqual([...new Array(B.length + 2).fill(1), ...new Array(n - B.length - 2).fill(0)]);
    const trunc = tok.encodeBatch([long.text, short.text], { maxLength: 8, truncation: true, padding: 'max_length' });
    expect(trunc[0]!.inputIds).toEqual([CLS, ...A.slice(0, 6), SEP]);
    expect(trunc[1]!.inputIds).toHaveLength(8);
  });

  it('decode round-trips lower-cased text and can skip special tokens', () => {
    const text = 'the congress of the united states';
    const enc = tok.encode(text);
    expect(tok.decode(enc.inputIds, { skipSpecialTokens: true })).toBe(text);
    expect(tok.decode(enc.inputIds)).toBe(`[CLS] ${text}[SEP]`);
  });

  it('bad options give TokenizerError', () => {
    expect(() => tok.encode('a', undefined, { maxLength: -1, truncation: true })).toThrow(TokenizerError);
    expect(() => tok.encode('a', undefined, { padding: 'sideways' as never })).toThrow(TokenizerError);
    expect(() => tok.encodeBatch([3 as never])).toThrow(TokenizerError);
    expect(() => tok.tokenize(null as never)).toThrow(TokenizerError);
  });
});

describe('HF digit-comma rule', () => {
  // A hand-built model whose vocabulary contains "▁9," and "9," (the fixture vocabularies have no such piece).
  const pieces: [string, number, number][] = [
    ['<pad>', 0, PieceType.CONTROL], ['<unk>', 0, PieceType.UNKNOWN], ['[CLS]', 0, PieceType.CONTROL],
    ['[SEP]', 0, PieceType.CONTROL], ['[MASK]', 0, PieceType.CONTROL],
    ['▁9,', -1, 1], ['9,', -1, 1], ['▁0', -1, 1], ['▁9', -4, 1], ['9', -4, 1], [',', -4, 1], ['▁', -4, 1], ['0', -4, 1],
  ];
  const bytes = encodeModelProto({
    pieces: pieces.map(([piece, score, type]) => ({ piece, score, type })),
    trainerSpec: { modelType: 1, vocabSize: pieces.length, unkId: 1, bosId: -1, eosId: -1, padId: 0 },
    normalizerSpec: { name: 'identity', addDummyPrefix: true, removeExtraWhitespaces: true },
  });
  const t = AlbertTokenizer.fromBytes(bytes);

  it('plain sentencepiece keeps the merged pieces', () => {
    expect(t.sp.encode('9,').pieces).toEqual(['▁9,']);
    expect(t.sp.encode('09,').pieces).toEqual(['▁0', '9,']);
  });

  it('"▁9," becomes "▁9", "," and "9," becomes "9", ","', () => {
    expect(t.tokenize('9,')).toEqual(['▁9', ',']);
    expect(t.tokenize('09,')).toEqual(['▁0', '9', ',']);
    expect(t.encode('09,').inputIds).toEqual([2, 7, 9, 10, 3]);
  });
});
