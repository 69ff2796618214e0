import { describe, expect, it } from 'vitest';
import {
  DataError, createPretrainingInstances, lengthMatchedPairs, pairCueBaselines, segmentLengths, sentenceEndIds,
  tokenizeDocuments, unmaskedIds, vocabInfo, type PretrainingInstance, type TextDocument,
} from '../src/index.js';
import { ToyTokenizer, toyCorpus } from './toy.js';

// Toy sentences end with a piece `.`, so the punctuation rule has something to see.
const docs: TextDocument[] = toyCorpus(300, 5).map((d) => ({ id: d.id, sentences: d.sentences.map((s) => `${s} .`) }));
const tok = new ToyTokenizer(docs.flatMap((d) => d.sentences));
const vocab = vocabInfo(tok);
const tdocs = await tokenizeDocuments(docs, tok);
const ends = sentenceEndIds(tok);

/** Independent restatement of the length rule: share of pairs where "label 1 iff A is longer" is right, best orientation. */
function lengthRuleByHand(xs: PretrainingInstance[]): number {
  let c = 0;
  for (const x of xs) {
    const a = x.tokenTypeIds.filter((t) => t === 0).length - 2;
    const b = x.tokenTypeIds.filter((t) => t === 1).length - 1;
    if ((a > b ? 1 : 0) === x.label) c++;
  }
  return Math.max(c, xs.length - c) / xs.length;
}

describe('lengthMatchedPairs', () => {
  for (const objective of ['sop', 'nsp'] as const) {
    it(`${objective}: balanced, segments within 2 tokens, no duplicates, deterministic`, () => {
      const xs = lengthMatchedPairs(tdocs, vocab, { objective, maxSeqLength: 32, seed: 7, count: 400 });
      expect(xs).toHaveLength(400);
      expect(xs.filter((x) => x.label === 1)).toHaveLength(200);
      for (const x of xs) {
        const { a, b } = segmentLengths(x);
        expect(a).toBeGreaterThan(0);
        expect(b).toBeGreaterThan(0);
        expect(Math.abs(a - b)).toBeLessThanOrEqual(2);
        expect(a + b + 3).toBe(x.inputIds.length);
      }
      expect(new Set(xs.map((x) => `${x.doc}|${unmaskedIds(x).join(',')}`)).size).toBe(400);
      expect(lengthMatchedPairs(tdocs, vocab, { objective, maxSeqLength: 32, seed: 7, count: 400 })).toEqual(xs);
      // The length cue is gone: the rule is near chance (it is far from it on ordinary instances, below).
      expect(pairCueBaselines(xs, ends).lengthRule.accuracy).toBe(0.5);
      expect(lengthRuleByHand(xs)).toBe(0.5);
    });
  }

  it('couples labels per length difference, so no length-difference rule beats 50%', () => {
    const xs = lengthMatchedPairs(tdocs, vocab, { objective: 'sop', maxSeqLength: 32, seed: 3, count: 301 });
    expect(xs).toHaveLength(300);
    const byDiff = new Map<number, number[]>();
    for (const x of xs) {
      const { a, b } = segmentLengths(x);
      const c = byDiff.get(a - b) ?? [0, 0];
      c[x.label as number]++;
      byDiff.set(a - b, c);
    }
    for (const [, [n0, n1]] of byDiff) expect(n0).toBe(n1);
    expect(lengthRuleByHand(xs)).toBe(0.5);
  });

  it('returns a shorter balanced set when the documents run out, and refuses bad options', () => {
    const few = tdocs.slice(0, 6);
    const xs = lengthMatchedPairs(few, vocab, { objective: 'sop', maxSeqLength: 32, seed: 1, count: 10_000, maxPasses: 2 });
    expect(xs.length).toBeGreaterThan(0);
    expect(xs.length).toBeLessThan(10_000);
    expect(xs.filter((x) => x.label === 0).length).toBe(xs.filter((x) => x.label === 1).length);
    expect(() => lengthMatchedPairs(tdocs, vocab, { objective: 'none' as 'sop', maxSeqLength: 32, seed: 1, count: 4 })).toThrow(DataError);
    expect(() => lengthMatchedPairs(tdocs, vocab, { objective: 'sop', maxSeqLength: 32, seed: 1, count: 1 })).toThrow(/count/);
    expect(() => lengthMatchedPairs(tdocs, vocab, { objective: 'sop', maxSeqLength: 32, seed: 1, count: 4, maxLengthDifference: -1 })).toThrow(/maxLengthDifference/);
  });
});

describe('pairCueBaselines', () => {
  /** `[CLS] A [SEP] B [SEP]` with no masking. */
  const pair = (a: number[], b: number[], label: 0 | 1): PretrainingInstance => ({
    inputIds: [2, ...a, 3, ...b, 3], tokenTypeIds: [0, ...a.map(() => 0), 0, ...b.map(() => 1), 1],
    maskedLmPositions: [], maskedLmIds: [], label, doc: 'd', docB: 'd',
  });
  const dot = tok.encode('.')[0];
  const w = tok.encode('d0s0w0')[0];

  it('scores the length and punctuation rules in their better orientation', () => {
    const xs = [
      pair([w, w, w], [w], 1), // A longer, label 1: length rule right
      pair([w], [w, w, w], 0), // right
      pair([w, w, w], [w], 0), // wrong
      pair([w, dot], [w], 1), // A ends a sentence, B does not: punctuation rule right
    ];
    const c = pairCueBaselines(xs, ends);
    expect(c.lengthRule).toEqual({ accuracy: 0.75, correct: 3, n: 4 });
    // predictions 0,0,0,1 against labels 1,0,0,1 -> 3 of 4
    expect(c.punctuationRule).toEqual({ accuracy: 0.75, correct: 3, n: 4 });
    // Inverting every label leaves the best-orientation scores unchanged.
    const inv = pairCueBaselines(xs.map((x) => ({ ...x, label: (1 - (x.label as number)) as 0 | 1 })), ends);
    expect(inv.lengthRule.accuracy).toBe(0.75);
  });

  it('reads the unmasked last token of each segment', () => {
    const x = pair([w, dot], [w, w], 1);
    const masked = { ...x, inputIds: x.inputIds.map((id, i) => (i === 2 ? 4 : id)), maskedLmPositions: [2], maskedLmIds: [dot] };
    expect(pairCueBaselines([masked], ends).punctuationRule.correct).toBe(1);
    expect(() => pairCueBaselines([{ ...x, label: null }], ends)).toThrow(DataError);
  });

  it('finds sentence-final pieces', () => {
    expect(ends[dot]).toBe(1);
    expect(ends[w]).toBe(0);
    expect(ends[tok.specialIds.sep]).toBe(0);
  });
});
