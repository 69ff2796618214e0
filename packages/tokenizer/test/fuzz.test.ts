// Hostile input, fuzzed: SentencePiece `.model` files and tokenizer.json
// (`pnpm fuzz --parser spm-model|tokenizer-json --runs N`). A file that loads must also encode and decode.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fc, fixturePath, fuzzParser, fuzzRuns, fuzzSelected, fuzzTimeout, mutatedBytes, mutatedJson,
} from '@albert-ts/testing';
import { AlbertTokenizer } from '../src/albert/albert-tokenizer.js';
import { TokenizerError } from '../src/errors.js';
import { HfTokenizer } from '../src/hf/hf-tokenizer.js';
import { decodeModelProto, encodeModelProto, type ModelProto } from '../src/proto/model-proto.js';
import { SentencePieceModel } from '../src/sentencepiece.js';
import { albertTokenizerJson } from './albert-tokenizer-json.js';

/** Texts every loaded tokenizer must encode: ASCII, whitespace, mixed scripts, NUL, a lone surrogate, a long word. */
const TEXTS = ['Hello world, it\'s 3.14!', '  \t\n ', '', 'Ünïcödé 日本語 ☃ 🎉 ﬁ', 'a\u0000b', '\ud800x', 'x'.repeat(300)];

const unigramBytes = new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', 'unigram2k.model')));
const bpeBytes = new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', 'bpe500.model')));
const unigram = decodeModelProto(unigramBytes);
const charsmap = unigram.normalizerSpec!.precompiledCharsmap!;

const SPECIAL = ['<unk>', '<pad>', '[CLS]', '[SEP]', '[MASK]', '▁', '<s>', '</s>'];

/** Mostly `false`: most generated models should load, so that encoding gets exercised too. */
const rarely = fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

/**
 * Small ModelProtos from random parts: unique pieces of every type around one `<unk>`, trainer and normalizer
 * settings, and charsmaps that are absent, the real one, mutated or random. Most of them are loadable models.
 */
const modelProto: fc.Arbitrary<ModelProto> = fc.record({
  pieces: fc.tuple(
    fc.uniqueArray(fc.record({
      piece: fc.oneof(fc.constantFrom(...SPECIAL.filter((p) => p !== '<unk>'), '▁a', 'a', 'b', '▁the', 'é', '▁▁'),
        fc.string({ minLength: 1, maxLength: 5 })),
      score: fc.oneof(fc.float({ noDefaultInfinity: false }), fc.constant(0)),
      type: fc.constantFrom(1, 1, 1, 1, 3, 4, 5),
    }), { selector: (p) => p.piece, maxLength: 30 }),
    fc.nat(),
  ).map(([pieces, at]) => {
    const unk = { piece: '<unk>', score: 0, type: 2 };
    const rest = pieces.filter((p) => p.piece !== '<unk>');
    const k = at % (rest.length + 1);
    return [...rest.slice(0, k), unk, ...rest.slice(k)];
  }),
  trainerSpec: fc.record({
    modelType: fc.constantFrom(1, 1, 1, 1, 2, 2, 2, 3),
    byteFallback: rarely,
    treatWhitespaceAsSuffix: rarely,
    unkId: fc.integer({ min: -1, max: 40 }),
    unkSurface: fc.string({ maxLength: 4 }),
  }, { requiredKeys: ['modelType'] }),
  normalizerSpec: fc.record({
    precompiledCharsmap: fc.oneof(
      { weight: 3, arbitrary: fc.constant(new Uint8Array(0)) },
      { weight: 1, arbitrary: fc.constant(charsmap) },
      { weight: 2, arbitrary: mutatedBytes(charsmap) },
      { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    ),
    addDummyPrefix: fc.boolean(),
    removeExtraWhitespaces: fc.boolean(),
    escapeWhitespaces: fc.boolean(),
  }, { requiredKeys: [] }),
}, { requiredKeys: ['pieces', 'normalizerSpec'] }) as fc.Arbitrary<ModelProto>;

/** Loads a model, then encodes, decodes and ALBERT-encodes every text; returns the ids it produced. */
function loadAndUse(bytes: Uint8Array): number[] {
  const sp = SentencePieceModel.fromBytes(bytes);
  const ids: number[] = [];
  for (const text of TEXTS) {
    const enc = sp.encode(text);
    if (enc.ids.length !== enc.pieces.length) throw new Error(`${enc.ids.length} ids for ${enc.pieces.length} pieces`);
    ids.push(...enc.ids);
    sp.decode(enc.ids);
  }
  let albert: AlbertTokenizer | undefined;
  try {
    albert = new AlbertTokenizer(sp);
  } catch (err) {
    if (!(err instanceof TokenizerError)) throw err; // a model without ALBERT's special pieces is fine for plain use
  }
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id >= sp.vocabSize) throw new Error(`id ${id} outside [0, ${sp.vocabSize})`);
  }
  if (albert !== undefined) {
    // Special tokens the model lacks become added tokens with ids from vocabSize on, as in HF.
    const albertIds = albert.encode(TEXTS[0]!, TEXTS[3], { maxLength: 16 }).inputIds;
    for (const id of albertIds) {
      if (!Number.isInteger(id) || id < 0 || (id >= sp.vocabSize && !albert.addedTokens.has(id))) {
        throw new Error(`ALBERT id ${id} is neither a piece nor an added token`);
      }
    }
    albert.decode(albertIds);
    ids.push(...albertIds);
  }
  return ids;
}

describe('fuzz: SentencePiece .model (protobuf, vocabulary, precompiled charsmap)', () => {
  const runs = fuzzRuns(1500);
  it.skipIf(!fuzzSelected('spm-model'))(`${runs} cases: typed one-line TokenizerError or a model that encodes`, async () => {
    const report = await fuzzParser({
      name: 'spm-model',
      runs,
      arbitrary: fc.oneof(
        { weight: 4, arbitrary: modelProto.map((p) => encodeModelProto(p)) },
        { weight: 3, arbitrary: modelProto.map((p) => encodeModelProto(p)).chain((b) => mutatedBytes(b)) },
        { weight: 1, arbitrary: mutatedBytes(unigramBytes) },
        { weight: 1, arbitrary: mutatedBytes(bpeBytes) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 128 }) },
      ),
      run: loadAndUse,
      accepts: (err) => err instanceof TokenizerError,
      size: (bytes) => bytes.length,
      // Encoding allocates per text (lattices of the 300-character word), not per model byte.
      allocationFactor: 16,
    });
    expect(report.runs).toBe(runs);
  }, fuzzTimeout(runs));
});

/** The HF tokenizer.json of a 60-piece slice of the fixture model (small, so that cases stay fast). */
function smallTokenizerJson(withCharsmap: boolean): unknown {
  const json = albertTokenizerJson({ ...unigram, pieces: unigram.pieces!.slice(0, 60) }) as {
    normalizer: { normalizers: { type: string }[] };
  };
  if (!withCharsmap) json.normalizer.normalizers = json.normalizer.normalizers.filter((n) => n.type !== 'Precompiled');
  return json;
}

describe('fuzz: tokenizer.json (HfTokenizer)', () => {
  const runs = fuzzRuns(2000);
  it.skipIf(!fuzzSelected('tokenizer-json'))(`${runs} cases: typed one-line TokenizerError or a tokenizer that encodes`, async () => {
    const plain = smallTokenizerJson(false);
    const report = await fuzzParser({
      name: 'tokenizer-json',
      runs,
      arbitrary: fc.oneof(
        { weight: 8, arbitrary: mutatedJson(plain) },
        { weight: 1, arbitrary: mutatedJson(smallTokenizerJson(true)) },
        { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
      ),
      run: (text) => {
        const tok = HfTokenizer.fromJson(text);
        for (const t of TEXTS) tok.encode(t, TEXTS[0]);
        return tok;
      },
      accepts: (err) => err instanceof TokenizerError,
      size: (text) => text.length * 2,
      allocationFactor: 16,
    });
    expect(report.runs).toBe(runs);
  }, fuzzTimeout(runs));
});
