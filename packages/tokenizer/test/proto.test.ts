import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@albert-ts/testing';
import { decodeModelProto, encodeModelProto, PieceType, ModelType } from '../src/proto/index.js';
import { TokenizerError } from '../src/errors.js';

const read = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', name)));

function vocabLines(name: string): [string, number][] {
  return fs.readFileSync(fixturePath('sentencepiece', name), 'utf8').split('\n').filter((l) => l !== '')
    .map((l) => { const [p, s] = l.split('\t'); return [p!, Number(s)]; });
}

describe('ModelProto', () => {
  for (const [name, size, type] of [['unigram2k', 2000, ModelType.UNIGRAM], ['bpe500', 500, ModelType.BPE]] as const) {
    it(`decodes ${name}.model consistently with ${name}.vocab`, () => {
      const m = decodeModelProto(read(`${name}.model`));
      expect(m.pieces).toHaveLength(size);
      const vocab = vocabLines(`${name}.vocab`);
      expect(vocab).toHaveLength(size);
      m.pieces!.forEach((p, i) => {
        expect(p.piece).toBe(vocab[i]![0]);
        // .vocab prints scores rounded; compare loosely
        expect(p.score ?? 0).toBeCloseTo(vocab[i]![1], 4);
      });
      expect(m.pieces![0]).toMatchObject({ piece: '<pad>', type: PieceType.CONTROL });
      expect(m.pieces![1]).toMatchObject({ piece: '<unk>', type: PieceType.UNKNOWN });
      expect(m.pieces![4]).toMatchObject({ piece: '[MASK]', type: PieceType.CONTROL });
      expect(m.pieces![5]).toMatchObject({ piece: '(', type: PieceType.USER_DEFINED });
      expect(m.trainerSpec?.modelType).toBe(type);
      expect(m.trainerSpec?.vocabSize).toBe(size);
      expect(m.trainerSpec?.unkId).toBe(1);
      expect(m.trainerSpec?.bosId).toBe(-1);
      expect(m.trainerSpec?.inputSentenceSize).toBe(10000000);
      expect(m.trainerSpec?.controlSymbols).toEqual(['[CLS]', '[SEP]', '[MASK]']);
      expect(m.normalizerSpec?.name).toBe('nmt_nfkc');
      expect(m.normalizerSpec?.addDummyPrefix).toBe(true);
      expect(m.normalizerSpec?.escapeWhitespaces).toBeUndefined();
      expect(m.normalizerSpec?.precompiledCharsmap?.length).toBe(237561);
    });

    it(`re-encodes ${name}.model byte for byte`, () => {
      const bytes = read(`${name}.model`);
      const out = encodeModelProto(decodeModelProto(bytes));
      expect(out.length).toBe(bytes.length);
      expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it('encodes a hand-built model that decodes back', () => {
    const bytes = encodeModelProto({
      pieces: [{ piece: '<unk>', score: 0, type: PieceType.UNKNOWN }, { piece: '▁a', score: -1.5 }],
      trainerSpec: { modelType: ModelType.UNIGRAM, vocabSize: 2, unkId: 0, bosId: -1 },
      normalizerSpec: { name: 'identity', precompiledCharsmap: new Uint8Array(0) },
    });
    const m = decodeModelProto(bytes);
    expect(m.pieces).toEqual([{ piece: '<unk>', score: 0, type: 2 }, { piece: '▁a', score: -1.5 }]);
    expect(m.trainerSpec).toEqual({ modelType: 1, vocabSize: 2, unkId: 0, bosId: -1, input: [], acceptLanguage: [], controlSymbols: [], userDefinedSymbols: [] });
  });

  it('rejects truncated and corrupt bytes with TokenizerError', () => {
    const bytes = read('unigram2k.model');
    expect(() => decodeModelProto(bytes.subarray(0, 1000))).toThrow(TokenizerError);
    expect(() => decodeModelProto(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toThrow(TokenizerError);
    expect(() => decodeModelProto(new TextEncoder().encode('{"a": 1}'))).toThrow(/not a valid SentencePiece model/);
  });
});
