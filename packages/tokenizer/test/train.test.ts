import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBinaryFixture } from '@albert-ts/testing';
import {
  PieceType,
  SentencePieceModel,
  TokenizerError,
  decodeModelProto,
  decodeTrainingText,
  encodeModelProto,
  trainSentencePiece,
  type ModelProto,
  type TrainerProgress,
} from '../src/index.js';
import { sotuLines } from './train-corpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const trainLines = sotuLines(1790, 1799);
const heldOut = sotuLines(1800, 1809);

/** `piece<TAB>score` lines that spm_train 0.1.97 wrote for the same corpus and flags (see scripts/gen-train-fixtures.mjs). */
function readSpmVocab(name: string): [string, number][] {
  return fs.readFileSync(path.join(here, 'fixtures', 'train', name), 'utf8').trimEnd().split('\n').map((l) => {
    const [p, s] = l.split('\t');
    return [p!, Number(s)];
  });
}

/** The spm_train vocabulary as a loadable model: our trained model with spm's pieces and scores swapped in. */
function spmModelFromVocab(ours: ModelProto, vocab: [string, number][]): SentencePieceModel {
  const pieces = vocab.map(([piece, score], id) => ({ piece, score, type: ours.pieces![id]!.type }));
  for (const p of pieces.slice(13)) p.type = PieceType.NORMAL;
  return new SentencePieceModel({ ...ours, pieces });
}

function piecesPerChar(sp: SentencePieceModel, lines: readonly string[]): number {
  let pieces = 0;
  let chars = 0;
  for (const l of lines) {
    pieces += sp.countPieces(l);
    chars += l.length;
  }
  return pieces / chars;
}

function hasBinary(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

describe('trainSentencePiece (BPE)', () => {
  const progress: TrainerProgress[] = [];
  const trained = trainSentencePiece(trainLines, { vocabSize: 300, modelType: 'bpe', onProgress: (p) => progress.push(p) });

  it('learns exactly the pieces, order and scores spm_train learns', () => {
    const expected = readSpmVocab('sotu1790s.bpe300.vocab');
    const got = trained.proto.pieces!.map((p): [string, number] => [p.piece!, p.score!]);
    expect(got).toEqual(expected);
  });

  it('reports progress up to completion', () => {
    expect(progress.map((p) => p.phase)).toContain('merge');
    expect(progress.at(-1)).toMatchObject({ phase: 'done', fraction: 1 });
  });
});

describe('trainSentencePiece (unigram)', () => {
  const progress: TrainerProgress[] = [];
  const trained = trainSentencePiece(trainLines, { vocabSize: 400, onProgress: (p) => progress.push(p) });
  const sp = SentencePieceModel.fromBytes(trained.bytes);
  const spmVocab = readSpmVocab('sotu1790s.unigram400.vocab');

  it('reserves the ids of ALBERT\'s released vocabulary, as spm_train wrote them in the fixture model', () => {
    const reference = decodeModelProto(readBinaryFixture('sentencepiece', 'unigram2k.model'));
    const meta = (m: ModelProto) => m.pieces!.slice(0, 13).map((p) => [p.piece, p.type ?? PieceType.NORMAL, p.score ?? 0]);
    expect(meta(trained.proto)).toEqual(meta(reference));
    expect(trained.proto.pieces![13]!.type ?? PieceType.NORMAL).toBe(PieceType.NORMAL);
  });

  it('writes the nmt_nfkc normalizer spec of spm_train byte for byte', () => {
    const reference = decodeModelProto(readBinaryFixture('sentencepiece', 'unigram2k.model'));
    const spec = trained.proto.normalizerSpec!;
    expect(spec.name).toBe('nmt_nfkc');
    expect(Buffer.from(spec.precompiledCharsmap!).equals(Buffer.from(reference.normalizerSpec!.precompiledCharsmap!))).toBe(true);
    expect([spec.addDummyPrefix, spec.removeExtraWhitespaces, spec.escapeWhitespaces]).toEqual([true, true, true]);
  });

  it('round-trips through the protobuf encoding', () => {
    expect(Buffer.from(encodeModelProto(decodeModelProto(trained.bytes))).equals(Buffer.from(trained.bytes))).toBe(true);
  });

  it('has exactly vocabSize unique pieces, the whole alphabet, normal pieces by decreasing score', () => {
    const pieces = trained.proto.pieces!;
    expect(pieces).toHaveLength(400);
    expect(new Set(pieces.map((p) => p.piece)).size).toBe(400);
    const normal = pieces.slice(13);
    for (let i = 1; i < normal.length; i++) expect(normal[i]!.score!).toBeLessThanOrEqual(normal[i - 1]!.score!);
    // The alphabet by definition: the most frequent normalized characters until 99.995% of them are covered.
    const counts = new Map<string, number>();
    let total = 0;
    for (const l of trainLines) {
      for (const ch of sp.normalize(l)) {
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
        total++;
      }
    }
    const alphabet: string[] = [];
    let covered = 0;
    for (const [ch, c] of [...counts].sort((a, b) => b[1] - a[1])) {
      if (covered / total >= 0.99995) break;
      covered += c;
      if (!['(', ')', '"', '-', '.'].includes(ch)) alphabet.push(ch); // user-defined symbols are not characters here
    }
    expect(alphabet.length).toBeGreaterThan(30);
    const vocab = new Set(pieces.map((p) => p.piece));
    for (const ch of alphabet) expect(vocab.has(ch), `character ${JSON.stringify(ch)}`).toBe(true);
  });

  it('segments every held-out line into pieces that concatenate to the normalized line', () => {
    for (const l of heldOut.slice(0, 300)) expect(sp.encode(l).pieces.join('')).toBe(sp.normalize(l));
  });

  it('shares at least 90% of its pieces with spm_train\'s vocabulary', () => {
    const ours = new Set(trained.proto.pieces!.map((p) => p.piece));
    const common = spmVocab.filter(([p]) => ours.has(p)).length;
    expect(common / spmVocab.length).toBeGreaterThanOrEqual(0.9);
  });

  it('needs at most 3% more pieces per character than spm_train on held-out speeches', () => {
    const reference = spmModelFromVocab(trained.proto, spmVocab);
    const ratio = piecesPerChar(sp, heldOut) / piecesPerChar(reference, heldOut);
    expect(ratio).toBeGreaterThan(0.97);
    expect(ratio).toBeLessThan(1.03);
  });

  it('reports EM and pruning progress', () => {
    const phases = new Set(progress.map((p) => p.phase));
    for (const ph of ['load', 'seed', 'em', 'prune', 'done'] as const) expect(phases.has(ph)).toBe(true);
    const fractions = progress.map((p) => p.fraction);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]!).toBeGreaterThanOrEqual(fractions[i - 1]!);
  });

  it.skipIf(!hasBinary('spm_encode'))('loads in SentencePiece\'s own spm_encode, which gives our encoder\'s ids', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-train-'));
    try {
      const model = path.join(dir, 'm.model');
      fs.writeFileSync(model, trained.bytes);
      const lines = heldOut.slice(0, 400);
      const r = spawnSync('spm_encode', [`--model=${model}`, '--output_format=id'], { input: lines.join('\n') + '\n', encoding: 'utf8' });
      expect(r.status).toBe(0);
      const theirs = r.stdout.trimEnd().split('\n').map((l) => (l === '' ? [] : l.split(' ').map(Number)));
      expect(theirs).toEqual(lines.map((l) => sp.encodeIds(l)));
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('trainSentencePiece on hand-checkable input', () => {
  // spm_train 0.1.97 with ALBERT's flags and --normalization_rule_name=identity on these 40 lines learns these.
  const lines = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'ab ab abc' : 'abc ba'));
  const normal = (proto: ModelProto) => proto.pieces!.slice(13).map((p): [string, number] => [p.piece!, p.score!]);

  it('unigram: the pieces and scores spm_train learns', () => {
    const { proto } = trainSentencePiece(lines, { vocabSize: 19, normalizationRuleName: 'identity' });
    const expected: [string, number][] = [
      ['\u2581ab', -1.27575], ['\u2581abc', -1.28979], ['\u2581', -1.91711], ['a', -1.95112], ['b', -1.95112], ['c', -1.95112],
    ];
    const got = normal(proto);
    expect(got.map((p) => p[0])).toEqual(expected.map((p) => p[0]));
    got.forEach(([, score], i) => expect(score).toBeCloseTo(expected[i]![1], 4));
    expect(proto.normalizerSpec!.precompiledCharsmap!.length).toBe(0);
    // spm_train: "Vocabulary size too high (20). Please set it to a value <= 19."
    expect(() => trainSentencePiece(lines, { vocabSize: 20, normalizationRuleName: 'identity' })).toThrow(/at most 19$/);
  });

  it('bpe: the merges spm_train learns, then the alphabet', () => {
    const { proto } = trainSentencePiece(lines, { vocabSize: 20, modelType: 'bpe', normalizationRuleName: 'identity' });
    expect(normal(proto)).toEqual([['ab', -0], ['\u2581ab', -1], ['\u2581abc', -2], ['a', -3], ['b', -4], ['\u2581', -5], ['c', -6]]);
  });

  it('bpe: overlapping pairs count as spm_train counts them ("aaaa" has two "aa")', () => {
    const overlap = [...Array<string>(10).fill('aaaa'), ...Array<string>(25).fill('bc'), ...Array<string>(15).fill('ef')];
    const { proto } = trainSentencePiece(overlap, { vocabSize: 22, modelType: 'bpe', normalizationRuleName: 'identity' });
    expect(normal(proto).map((p) => p[0])).toEqual(['bc', '\u2581bc', 'aa', '\u2581', 'a', 'b', 'c', 'e', 'f']);
  });

  it('drops characters outside character_coverage from the vocabulary', () => {
    const lines = [...Array.from({ length: 3000 }, () => 'aaaa bbbb'), 'z'];
    const { proto } = trainSentencePiece(lines, { vocabSize: 20, characterCoverage: 0.9999 });
    expect(proto.pieces!.map((p) => p.piece)).not.toContain('z');
  });
});

describe('trainSentencePiece bad input', () => {
  it('rejects empty input', () => {
    expect(() => trainSentencePiece([], { vocabSize: 100 })).toThrow(TokenizerError);
    expect(() => trainSentencePiece(['', '   '], { vocabSize: 100 })).toThrow(/no usable line/);
  });

  it('rejects a vocabulary larger than the input supports, naming the maximum', () => {
    expect(() => trainSentencePiece(['ab ab abc', 'abc ba'], { vocabSize: 5000 })).toThrow(/vocabSize 5000 is too high for this input: it has only \d+ candidate pieces/);
    expect(() => trainSentencePiece(['ab ab abc', 'abc ba'], { vocabSize: 5000, modelType: 'bpe' })).toThrow(/at most \d+/);
  });

  it('rejects a vocabulary smaller than the alphabet plus reserved pieces', () => {
    expect(() => trainSentencePiece(['abcdefghij klmnop'], { vocabSize: 20 })).toThrow(/smaller than the \d+ required characters/);
    expect(() => trainSentencePiece(['abc'], { vocabSize: 10 })).toThrow(/too small for the 13 reserved pieces/);
  });

  it('rejects bad options with one-line messages naming the field', () => {
    const bad: [object, RegExp][] = [
      [{ vocabSize: 0 }, /vocabSize/],
      [{ vocabSize: 1.5 }, /vocabSize/],
      [{ vocabSize: 100, modelType: 'word' }, /modelType/],
      [{ vocabSize: 100, characterCoverage: 0.5 }, /characterCoverage/],
      [{ vocabSize: 100, unkId: -1 }, /unkId/],
      [{ vocabSize: 100, padId: 1 }, /padId=1 is already used/],
      [{ vocabSize: 100, userDefinedSymbols: ['x', 'x'] }, /already defined/],
    ];
    for (const [o, re] of bad) {
      let err: unknown;
      try {
        trainSentencePiece(['abc'], o as never);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TokenizerError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('rejects unpaired surrogates', () => {
    expect(() => trainSentencePiece(['ok', 'bad \ud800 line'], { vocabSize: 100 })).toThrow(/line 2 contains an unpaired surrogate/);
  });

  it('rejects malformed UTF-8 files, naming the byte offset', () => {
    const bytes = new Uint8Array([0x61, 0x62, 0x0a, 0x63, 0xc3, 0x28, 0x0a]);
    expect(() => decodeTrainingText(bytes, 'corpus.txt')).toThrow(new TokenizerError('corpus.txt: not valid UTF-8 (at byte 4)'));
    expect(decodeTrainingText(new TextEncoder().encode('a\nb\u00e9\n'), 'x')).toEqual(['a', 'b\u00e9']);
  });
});
