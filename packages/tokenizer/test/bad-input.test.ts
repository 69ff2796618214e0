import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@albert-ts/testing';
import { SentencePieceModel } from '../src/sentencepiece.js';
import { AlbertTokenizer } from '../src/albert/albert-tokenizer.js';
import { TokenizerError } from '../src/errors.js';
import { decodeModelProto, encodeModelProto } from '../src/proto/model-proto.js';

const modelBytes = new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', 'unigram2k.model')));
const unigram = SentencePieceModel.fromBytes(modelBytes);
const bpe = SentencePieceModel.fromBytes(new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', 'bpe500.model'))));

function expectOneLineTokenizerError(fn: () => unknown): TokenizerError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(TokenizerError);
  const e = caught as TokenizerError;
  expect(e.name).toBe('TokenizerError');
  expect(e.message).not.toMatch(/\n/);
  expect(e.message.length).toBeGreaterThan(10);
  return e;
}

describe('bad model files', () => {
  it('empty, PNG, JSON, text, random bytes', () => {
    expectOneLineTokenizerError(() => SentencePieceModel.fromBytes(new Uint8Array(0)));
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    expectOneLineTokenizerError(() => SentencePieceModel.fromBytes(new Uint8Array(png)));
    expectOneLineTokenizerError(() => SentencePieceModel.fromBytes(new TextEncoder().encode('{"model": {"type": "Unigram"}}')));
    expectOneLineTokenizerError(() => SentencePieceModel.fromBytes(new TextEncoder().encode('hello world\n')));
    let seed = 12345;
    const random = new Uint8Array(4096).map(() => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    });
    expectOneLineTokenizerError(() => SentencePieceModel.fromBytes(random));
    expectOneLineTokenizerError(() => SentencePieceModel.fromBytes('not bytes' as never));
  });

  it('every truncation of the model is rejected cleanly (or loads as a smaller valid model)', () => {
    for (const cut of [1, 2, 10, 100, 1000, 5000, 20000, 30000, modelBytes.length - 200000, modelBytes.length - 1]) {
      const part = modelBytes.subarray(0, cut);
      try {
        const m = SentencePieceModel.fromBytes(part);
        // A cut on a message boundary is a valid (smaller) model: it must still encode.
        expect(Array.isArray(m.encode('hello world').ids)).toBe(true);
      } catch (err) {
        expect(err).toBeInstanceOf(TokenizerError);
        expect((err as Error).message).not.toMatch(/\n/);
      }
    }
  });

  it('corrupt precompiled_charsmap and inconsistent pieces', () => {
    const proto = decodeModelProto(modelBytes);
    const broken = { ...proto, normalizerSpec: { ...proto.normalizerSpec, precompiledCharsmap: new Uint8Array([255, 255, 255, 255, 1]) } };
    expectOneLineTokenizerError(() => SentencePieceModel.fromBytes(encodeModelProto(broken)));
    const noUnk = { ...proto, pieces: proto.pieces!.map((p) => (p.type === 2 ? { ...p, type: 1 } : p)) };
    expectOneLineTokenizerError(() => SentencePieceModel.fromBytes(encodeModelProto(noUnk)));
    const dup = { ...proto, pieces: [...proto.pieces!, proto.pieces![100]!] };
    expectOneLineTokenizerError(() => SentencePieceModel.fromBytes(encodeModelProto(dup)));
    const word = { ...proto, trainerSpec: { ...proto.trainerSpec, modelType: 3 } };
    expectOneLineTokenizerError(() => SentencePieceModel.fromBytes(encodeModelProto(word)));
    // Random garbage inside the charsmap: loading may succeed, encoding must never hang or crash untyped.
    const blob = Uint8Array.from(proto.normalizerSpec!.precompiledCharsmap!);
    for (let i = 4; i < blob.length; i += 97) blob[i] = (blob[i]! * 31 + 7) & 0xff;
    const scrambled = { ...proto, normalizerSpec: { ...proto.normalizerSpec, precompiledCharsmap: blob } };
    try {
      const m = SentencePieceModel.fromBytes(encodeModelProto(scrambled));
      m.encode('Hello, wörld! ½ ﬁ 中文');
    } catch (err) {
      expect(err).toBeInstanceOf(TokenizerError);
    }
  });

  it('out-of-range ids in decode', () => {
    expectOneLineTokenizerError(() => unigram.decode([5, 2000]));
    expectOneLineTokenizerError(() => unigram.decode([-1]));
    expectOneLineTokenizerError(() => unigram.decode([1.5]));
  });
});

describe('bad text', () => {
  it('unpaired surrogates are encoded as U+FFFD (WHATWG UTF-8), never thrown', () => {
    const lone = 'ab\uD800cd\uDC00';
    expect(unigram.encode(lone)).toEqual(unigram.encode('ab\uFFFDcd\uFFFD'));
    expect(unigram.encode(lone)).toEqual(unigram.encode(new TextEncoder().encode(lone)));
  });

  it('malformed UTF-8 bytes become U+FFFD one byte at a time (sentencepiece semantics)', () => {
    // 0xC3 without its continuation byte, a stray continuation 0x80, an overlong "/" (C0 AF), a surrogate (ED A0 80).
    const bytes = new Uint8Array([0x61, 0xc3, 0x62, 0x80, 0xc0, 0xaf, 0xed, 0xa0, 0x80]);
    const normalized = unigram.normalize(new TextDecoder().decode(new Uint8Array([0x61])));
    expect(normalized).toBe('▁a');
    const enc = unigram.encode(bytes);
    // a, FFFD, b, then 6 malformed bytes -> 6 x FFFD: unknown runs merge.
    expect(enc.pieces.join('')).toBe('▁a\uFFFDb' + '\uFFFD'.repeat(6));
    expect(enc.ids.filter((id) => id === unigram.unkId)).toHaveLength(2);
  });

  it('a 1 MB single line is encoded in linear time', () => {
    const words = 'the people of the united states congress government year world nation';
    let text = '';
    while (text.length < 1_000_000) text += words + ' ';
    const t0 = performance.now();
    const ids = unigram.encodeIds(text);
    const t1 = performance.now();
    expect(ids.length).toBeGreaterThan(100_000);
    expect(ids.slice(0, 4)).toEqual(unigram.encodeIds('the people of the').slice(0, 4));
    const bpeIds = bpe.encodeIds(text);
    const t2 = performance.now();
    expect(bpeIds.length).toBeGreaterThan(100_000);
    const albert = new AlbertTokenizer(unigram);
    const tokens = albert.tokenize(text.toUpperCase());
    const t3 = performance.now();
    expect(tokens.length).toBeGreaterThan(100_000);
    console.log(`1 MB line: unigram ${(t1 - t0).toFixed(0)} ms, bpe ${(t2 - t1).toFixed(0)} ms, albert ${(t3 - t2).toFixed(0)} ms`);
    expect(t1 - t0).toBeLessThan(5000);
    expect(t2 - t1).toBeLessThan(10000);
    expect(t3 - t2).toBeLessThan(10000);
    // One long word (no spaces): the lattice is still linear (pieces are at most 16 characters).
    const word = 'a'.repeat(1_000_000);
    const t4 = performance.now();
    expect(unigram.encodeIds(word).length).toBeGreaterThan(1000);
    expect(performance.now() - t4).toBeLessThan(5000);
  });

  it('non-string input is a TokenizerError', () => {
    expectOneLineTokenizerError(() => unigram.encode(42 as never));
    expectOneLineTokenizerError(() => unigram.encode(null as never));
  });
});
