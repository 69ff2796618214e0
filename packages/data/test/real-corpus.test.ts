import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { fixturePath } from '@albert-ts/testing';
import {
  createMaskedLmPredictions, createPretrainingInstances, fromAlbertTokenizer, loadBundledCorpus, Rng,
  tokenizeDocuments, vocabInfo,
} from '../src/index.js';

// The acceptance statistics on real text with a real SentencePiece vocabulary (the 2k-piece fixture model).
const tok = fromAlbertTokenizer(AlbertTokenizer.fromBytes(fs.readFileSync(fixturePath('sentencepiece', 'unigram2k.model'))));
const vocab = vocabInfo(tok);
const docs = await tokenizeDocuments([...loadBundledCorpus('sotu', 'test'), ...loadBundledCorpus('moby-dick', 'test')], tok);

describe('pretraining instances on SOTU + Moby Dick (test splits)', () => {
  const xs = [...createPretrainingInstances(docs, vocab, { objective: 'sop', maxSeqLength: 128, seed: 3, maxPredictionsPerSeq: 128, dupeFactor: 2 })];

  it('masks 0.15 ± 0.01 of maskable tokens with balanced SOP labels, specials never masked', () => {
    expect(xs.length).toBeGreaterThan(3000);
    let maskable = 0, masked = 0, ones = 0, bad = 0;
    const { cls, sep } = tok.specialIds;
    for (const x of xs) {
      const ids = x.inputIds.slice();
      x.maskedLmPositions.forEach((p, j) => { ids[p] = x.maskedLmIds[j]; });
      maskable += ids.filter((t) => t !== cls && t !== sep).length;
      masked += x.maskedLmPositions.length;
      ones += x.label ?? 0;
      if (x.inputIds.length > 128 || x.maskedLmIds.some((t) => t === cls || t === sep)) bad++;
    }
    expect(bad).toBe(0);
    expect(Math.abs(masked / maskable - 0.15)).toBeLessThan(0.01);
    expect(Math.abs(ones / xs.length - 0.5)).toBeLessThan(0.03);
  });

  it('n-gram lengths are within 0.02 of 6/11, 3/11, 2/11 and every masked word is whole', () => {
    const rng = new Rng(9);
    const hist = [0, 0, 0];
    let partial = 0;
    for (const x of xs) {
      const ids = x.inputIds.slice();
      x.maskedLmPositions.forEach((p, j) => { ids[p] = x.maskedLmIds[j]; });
      const m = createMaskedLmPredictions(ids, vocab, { maskedLmProb: 0.15, maxPredictionsPerSeq: 128, ngram: 3 }, rng);
      m.ngramLengths.forEach((k) => hist[k - 1]++);
      const pos = new Set(m.positions);
      // a masked continuation piece implies its left neighbour is masked unless it follows [SEP]
      for (const p of m.positions) {
        if (!tok.idToPiece(ids[p]).startsWith('\u2581') && ids[p - 1] !== tok.specialIds.sep && ids[p - 1] !== tok.specialIds.cls && !pos.has(p - 1)) partial++;
        const next = ids[p + 1];
        if (next !== undefined && !vocab.isSpecial[next] && !tok.idToPiece(next).startsWith('\u2581') && !pos.has(p + 1)) partial++;
      }
    }
    const total = hist[0] + hist[1] + hist[2];
    expect(partial).toBe(0);
    expect(Math.abs(hist[0] / total - 6 / 11)).toBeLessThan(0.02);
    expect(Math.abs(hist[1] / total - 3 / 11)).toBeLessThan(0.02);
    expect(Math.abs(hist[2] / total - 2 / 11)).toBeLessThan(0.02);
  });
});

describe('pretraining instances on e-mail bodies (long URL-like words, default cap of 20 predictions)', () => {
  it('NSP: masked fraction 0.15 ± 0.01, balanced labels, negatives from other documents', async () => {
    const mails = await tokenizeDocuments(loadBundledCorpus('spam-assassin', 'test'), tok);
    const xs = [...createPretrainingInstances(mails, vocab, { objective: 'nsp', maxSeqLength: 128, seed: 4, dupeFactor: 3 })];
    expect(xs.length).toBeGreaterThan(3000);
    let maskable = 0, masked = 0, ones = 0, wrong = 0;
    for (const x of xs) {
      maskable += x.inputIds.length - 3;
      masked += x.maskedLmPositions.length;
      if (x.maskedLmPositions.length > 20) wrong++;
      if (x.label === 1) { ones++; if (x.docB === x.doc) wrong++; } else if (x.docB !== x.doc) wrong++;
    }
    expect(wrong).toBe(0);
    expect(Math.abs(masked / maskable - 0.15)).toBeLessThan(0.01);
    expect(Math.abs(ones / xs.length - 0.5)).toBeLessThan(0.03);
  });
});
