import { describe, expect, it } from 'vitest';
import {
  createMaskedLmPredictions, createPretrainingInstances, DataError, Rng, tokenizeDocuments, vocabInfo,
  type PretrainingInstance, type SentenceObjective, type SentencePairObjective,
} from '../src/index.js';
import { piecePosition, ToyTokenizer, toyCorpus } from './toy.js';

const docs = toyCorpus(400, 11);
const tok = new ToyTokenizer(docs.flatMap((d) => d.sentences));
const vocab = vocabInfo(tok);
const tdocs = await tokenizeDocuments(docs, tok);
const { cls, sep, mask } = tok.specialIds;

function tdocsOf(d: typeof docs, t: ToyTokenizer) {
  return d.map((x) => ({ id: x.id, sentences: x.sentences.map((z) => Int32Array.from(t.encode(z))) }));
}

function build(objective: SentenceObjective, maxSeqLength = 128, extra: Record<string, number> = {}): PretrainingInstance[] {
  return [...createPretrainingInstances(tdocs, vocab, { objective, maxSeqLength, seed: 1234, dupeFactor: 10, maxPredictionsPerSeq: maxSeqLength, ...extra })];
}
const sop = build('sop');
const nsp = build('nsp');
const none = build('none');

/** The unmasked ids of an instance. */
function original(x: PretrainingInstance): number[] {
  const ids = x.inputIds.slice();
  x.maskedLmPositions.forEach((p, j) => { ids[p] = x.maskedLmIds[j]; });
  return ids;
}
/** Segments A and B (original ids, specials removed). */
function segments(x: PretrainingInstance): [number[], number[]] {
  const ids = original(x);
  const a: number[] = [], b: number[] = [];
  ids.forEach((id, i) => { if (id !== cls && id !== sep) (x.tokenTypeIds[i] === 0 ? a : b).push(id); });
  return [a, b];
}
/** Document-order key of a toy piece. */
function key(id: number): { doc: number; k: number } {
  const p = piecePosition(tok.idToPiece(id));
  if (!p) throw new Error(`not a toy piece: ${tok.idToPiece(id)}`);
  return { doc: p.doc, k: (p.sent * 1000 + p.word) * 10 + p.piece };
}

describe('pretraining instances: structure', () => {
  it('produces thousands of instances, all within max_seq_length, [CLS] A [SEP] B [SEP]', () => {
    const errors: string[] = [];
    for (const set of [sop, nsp]) {
      expect(set.length).toBeGreaterThan(3000);
      for (const x of set) {
        const n = x.inputIds.length;
        const seps = x.inputIds.flatMap((t, i) => (t === sep ? [i] : []));
        if (n > 128) errors.push(`too long: ${n}`);
        if (x.inputIds[0] !== cls || x.inputIds[n - 1] !== sep || seps.length !== 2) errors.push(`bad layout ${x.inputIds.join(',')}`);
        if (x.tokenTypeIds.some((t, i) => t !== (i <= seps[0] ? 0 : 1))) errors.push('bad token types');
        const [a, b] = segments(x);
        if (a.length === 0 || b.length === 0) errors.push('empty segment');
      }
    }
    for (const x of none) {
      if (x.inputIds.length > 128 || x.label !== null || x.inputIds.filter((t) => t === sep).length !== 1 || x.tokenTypeIds.some((t) => t !== 0)) errors.push('bad none instance');
    }
    expect(errors.slice(0, 3)).toEqual([]);
  });

  it('short_seq_prob: about 10% of chunks target a random shorter length', () => {
    const long = toyCorpus(60, 3, [40, 60], [8, 14]);
    const t = new ToyTokenizer(long.flatMap((d) => d.sentences));
    const mean = (shortSeqProb: number): number => {
      const xs = [...createPretrainingInstances(tdocsOf(long, t), vocabInfo(t), { objective: 'sop', maxSeqLength: 128, seed: 3, dupeFactor: 8, shortSeqProb })];
      return xs.reduce((s, x) => s + x.inputIds.length, 0) / xs.length;
    };
    const full = mean(0), dflt = mean(0.1), all = mean(1);
    expect(full).toBeGreaterThan(115);
    expect(all).toBeLessThan(80); // uniform target in [2, 125] (plus whole sentences): about half
    expect(dflt).toBeLessThan(full - 1);
    expect(dflt).toBeGreaterThan(all);
  });
});

describe('pretraining instances: sentence objectives', () => {
  it('label balance is 0.5 ± 0.03 for SOP and NSP', () => {
    for (const set of [sop, nsp]) {
      const ones = set.filter((x) => x.label === 1).length / set.length;
      expect(Math.abs(ones - 0.5)).toBeLessThan(0.03);
    }
  });

  it('SOP positives are in document order, negatives are swapped, both from one document', () => {
    const errors: string[] = [];
    for (const x of sop) {
      const [a, b] = segments(x).map((s) => s.map(key));
      const docIdx = Number(x.doc.slice(3));
      if ([...a, ...b].some((t) => t.doc !== docIdx)) errors.push(`${x.doc}: token from another document`);
      // within a segment, text is in document order
      for (const s of [a, b]) for (let i = 1; i < s.length; i++) if (s[i].k <= s[i - 1].k) errors.push(`${x.doc}: segment out of order`);
      const aMax = Math.max(...a.map((t) => t.k)), aMin = Math.min(...a.map((t) => t.k));
      const bMax = Math.max(...b.map((t) => t.k)), bMin = Math.min(...b.map((t) => t.k));
      if (x.label === 0 && !(aMax < bMin)) errors.push(`${x.doc}: positive not in order`);
      if (x.label === 1 && !(bMax < aMin)) errors.push(`${x.doc}: negative not swapped`);
    }
    expect(errors.slice(0, 3)).toEqual([]);
  });

  it('NSP negatives take B from another document, positives continue A', () => {
    let negatives = 0;
    const errors: string[] = [];
    for (const x of nsp) {
      const [a, b] = segments(x).map((s) => s.map(key));
      const docIdx = Number(x.doc.slice(3));
      if (a.some((t) => t.doc !== docIdx)) errors.push(`${x.doc}: A from another document`);
      if (x.label === 1) {
        negatives++;
        if (b.some((t) => t.doc === docIdx)) errors.push(`${x.doc}: negative B from the same document`);
        if (new Set(b.map((t) => t.doc)).size !== 1 || x.docB !== `doc${b[0].doc}`) errors.push(`${x.doc}: B not from one document ${x.docB}`);
      } else {
        if (b.some((t) => t.doc !== docIdx)) errors.push(`${x.doc}: positive B from another document`);
        if (!(Math.max(...a.map((t) => t.k)) < Math.min(...b.map((t) => t.k)))) errors.push(`${x.doc}: positive not in order`);
      }
    }
    expect(errors.slice(0, 3)).toEqual([]);
    expect(negatives).toBeGreaterThan(1000);
  });
});

describe('pretraining instances: masking statistics', () => {
  it('masks 0.15 ± 0.01 of maskable tokens, never a special token, whole words only', () => {
    const errors: string[] = [];
    for (const set of [sop, nsp, none]) {
      let maskable = 0, masked = 0;
      for (const x of set) {
        const ids = original(x);
        maskable += ids.filter((t) => t !== cls && t !== sep).length;
        masked += x.maskedLmPositions.length;
        const pos = new Set(x.maskedLmPositions);
        for (let j = 0; j < x.maskedLmPositions.length; j++) {
          const p = x.maskedLmPositions[j];
          if (j > 0 && p <= x.maskedLmPositions[j - 1]) errors.push('positions not ascending');
          if (ids[p] === cls || ids[p] === sep || p >= ids.length) errors.push(`special token masked at ${p}`);
          if (x.maskedLmIds[j] !== ids[p]) errors.push('label mismatch');
          // whole word: the pieces of this word next to it (same segment) are masked too
          const me = piecePosition(tok.idToPiece(ids[p]))!;
          for (const q of [p - 1, p + 1]) {
            const o = piecePosition(tok.idToPiece(ids[q]) ?? '');
            if (o && x.tokenTypeIds[q] === x.tokenTypeIds[p] && o.doc === me.doc && o.sent === me.sent && o.word === me.word && !pos.has(q)) errors.push('partial word masked');
          }
        }
        for (let i = 0; i < x.inputIds.length; i++) if (!pos.has(i) && x.inputIds[i] !== ids[i]) errors.push('unmasked token changed');
      }
      expect(Math.abs(masked / maskable - 0.15)).toBeLessThan(0.01);
    }
    expect(errors.slice(0, 3)).toEqual([]);
  });

  it('replaces masked tokens 80% [MASK] / 10% random / 10% unchanged (± 0.02)', () => {
    let m = 0, keep = 0, rand = 0;
    for (const x of [...sop, ...nsp]) {
      x.maskedLmPositions.forEach((p, j) => {
        const v = x.inputIds[p];
        if (v === mask) m++;
        else if (v === x.maskedLmIds[j]) keep++;
        else { rand++; if (vocab.isSpecial[v] || v === 1) m = -1e9; } // never a special id or <unk>
      });
    }
    const n = m + keep + rand;
    expect(n).toBeGreaterThan(50000);
    expect(Math.abs(m / n - 0.8)).toBeLessThan(0.02);
    expect(Math.abs(keep / n - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(rand / n - 0.1)).toBeLessThan(0.02);
  });

  it('n-gram lengths follow p(n) = 6/11, 3/11, 2/11 (± 0.02), and the spans are whole words', () => {
    const rng = new Rng(5);
    const hist = [0, 0, 0];
    let maskedWords = 0, reportedWords = 0;
    for (let r = 0; r < 3000; r++) {
      // 126 tokens of running text from a few documents, as [CLS] A [SEP] B [SEP]
      const text: number[] = [];
      for (let d = r; text.length < 126; d += 7) for (const s of tdocs[d % tdocs.length].sentences) text.push(...s);
      const ids = [cls, ...text.slice(0, 62), sep, ...text.slice(62, 125), sep];
      const m = createMaskedLmPredictions(ids, vocab, { maskedLmProb: 0.15, maxPredictionsPerSeq: 128, ngram: 3 }, rng);
      m.ngramLengths.forEach((k) => { hist[k - 1]++; reportedWords += k; });
      const words = new Set(m.positions.map((p) => { const q = piecePosition(tok.idToPiece(ids[p]))!; return `${q.doc}/${q.sent}/${q.word}/${p < 63}`; }));
      maskedWords += words.size;
    }
    const total = hist[0] + hist[1] + hist[2];
    expect(reportedWords).toBe(maskedWords);
    expect(Math.abs(hist[0] / total - 6 / 11)).toBeLessThan(0.02);
    expect(Math.abs(hist[1] / total - 3 / 11)).toBeLessThan(0.02);
    expect(Math.abs(hist[2] / total - 2 / 11)).toBeLessThan(0.02);
  });

  it('respects max_predictions_per_seq and masked_lm_prob 0', () => {
    const capped = build('sop', 128, { maxPredictionsPerSeq: 5, dupeFactor: 1 });
    expect(capped.every((x) => x.maskedLmPositions.length <= 5)).toBe(true);
    const big = capped.filter((x) => x.inputIds.length >= 60); // round(0.15 * maskable) > 5: the cap binds
    expect(big.length).toBeGreaterThan(200);
    expect(big.filter((x) => x.maskedLmPositions.length === 5).length / big.length).toBeGreaterThan(0.95);
    const off = build('sop', 128, { maskedLmProb: 0, dupeFactor: 1 });
    expect(off.every((x) => x.maskedLmPositions.length === 0)).toBe(true);
  });
});

describe('pretraining instances: determinism and errors', () => {
  it('is reproducible: same seed same instances, other seed other instances', () => {
    const again = build('sop');
    expect(JSON.stringify(again)).toBe(JSON.stringify(sop));
    const other = build('sop', 128, { seed: 99 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(sop));
  });

  it('rejects an empty corpus, one-sentence documents for sop/nsp, and bad options', () => {
    const gen = (d: typeof tdocs, o: Record<string, unknown>) => () => [...createPretrainingInstances(d, vocab, { objective: 'sop', maxSeqLength: 64, seed: 1, ...o } as never)];
    expect(gen([], {})).toThrow(DataError);
    expect(gen([], {})).toThrow(/empty/);
    const single = tdocs.slice(0, 5).map((d) => ({ id: d.id, sentences: d.sentences.slice(0, 1) }));
    expect(gen(single, {})).toThrow(/single sentence/);
    expect(gen(single, { objective: 'nsp' })).toThrow(/single sentence/);
    expect(gen(single, { objective: 'none' })().length).toBeGreaterThan(0);
    expect(gen(tdocs.slice(0, 1), { objective: 'nsp' })).toThrow(/at least 2 documents/);
    expect(gen(tdocs, { maxSeqLength: 4 })).toThrow(/maxSeqLength must be an integer in \[5/);
    expect(gen(tdocs, { maskedLmProb: 1.5 })).toThrow(/maskedLmProb/);
    expect(gen(tdocs, { objective: 'xyz' })).toThrow(/objective must be one of/);
    expect(gen(tdocs, { seed: -1 })).toThrow(/seed/);
  });
});

describe('custom sentence objectives (plug-in)', () => {
  it('uses a user objective for A/B and labels, with the standard packing and masking', () => {
    // 1 when the chunk holds an odd number of sentences; A = first sentence, B = the rest (or the same sentence)
    const parity: SentencePairObjective = {
      name: 'parity',
      checkCorpus: (d, name) => { if (d.length < 1) throw new DataError(`${name}: empty`); },
      pair: ({ chunk, docs, docIndex }) => ({
        a: Array.from(chunk[0]),
        b: chunk.length > 1 ? chunk.slice(1).flatMap((s) => Array.from(s)) : Array.from(chunk[0]),
        label: (chunk.length % 2) as 0 | 1,
        docB: docs[docIndex].id,
        putBack: 0,
      }),
    };
    const xs = [...createPretrainingInstances(tdocs, vocab, { objective: parity, maxSeqLength: 64, seed: 2 })];
    expect(xs.length).toBeGreaterThan(300);
    for (const x of xs) {
      expect(x.inputIds.length).toBeLessThanOrEqual(64);
      expect(x.inputIds.filter((t) => t === sep)).toHaveLength(2);
      expect([0, 1]).toContain(x.label);
    }
    expect(xs.some((x) => x.label === 0) && xs.some((x) => x.label === 1)).toBe(true);
  });
});
