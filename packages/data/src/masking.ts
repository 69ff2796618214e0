import type { Rng } from './rng.js';
import type { VocabInfo } from './tokenizer.js';

/** Options of {@link createMaskedLmPredictions}. */
export interface MaskingOptions {
  /** Fraction of maskable tokens to predict (default 0.15). */
  maskedLmProb: number;
  /** Hard cap on predictions per sequence (default 20). */
  maxPredictionsPerSeq: number;
  /** Longest whole-word n-gram (default 3); p(n) ∝ 1/n for n = 1..ngram. */
  ngram: number;
}

/** Result of masking one sequence. */
export interface MaskedSequence {
  /** The sequence with replacements applied (80% `[MASK]`, 10% random id, 10% unchanged). */
  inputIds: number[];
  /** Ascending positions of the predicted tokens. */
  positions: number[];
  /** Original ids at `positions`. */
  labels: number[];
  /** Number of maskable (non-special) tokens in the sequence. */
  maskable: number;
  /** Length in words of every masked n-gram, in the order they were chosen (for statistics). */
  ngramLengths: number[];
}

/**
 * Whole-word n-gram masking with the semantics of ALBERT's `create_masked_lm_predictions` (a word is a `▁` piece
 * plus its continuation pieces; n-grams of n <= `ngram` words with p(n) ∝ 1/n; each masked token becomes `[MASK]`
 * with p 0.8, stays with p 0.1, becomes a random id with p 0.1), seeded, with the reference's bugs fixed:
 * - the budget is `min(maxPredictionsPerSeq, max(1, round(maskable · maskedLmProb)))` over maskable tokens only
 *   (the reference counts `[CLS]`/`[SEP]` too);
 * - words and n-grams never cross a `[SEP]` (the reference can glue the first piece of segment B to the last word
 *   of A, and its n-grams can span the separator);
 * - n is drawn from the seeded generator (the reference uses numpy's unseeded global one);
 * - random replacements never draw special ids (the reference may insert `[CLS]`, `<pad>`, ...);
 * - the masked n-grams really follow p(n): the reference picks a start word, then n, then skips n-grams that
 *   overlap earlier ones and shortens those that overflow the budget, which skews the realised lengths towards 1
 *   (about 0.64/0.24/0.12 instead of 0.55/0.27/0.18). Here n is drawn first, then placed uniformly among the
 *   n-grams whose words are all still free (a shorter n only if none is), every drawn n-gram is kept, and before
 *   each draw the loop continues with probability room / E[max(span, room)] (1 while every span fits the room),
 *   so the expected count is exactly the budget. When the hard cap is the budget, it fills up to the cap with
 *   single words.
 */
export function createMaskedLmPredictions(ids: ArrayLike<number>, vocab: VocabInfo, options: MaskingOptions, rng: Rng): MaskedSequence {
  const { maskedLmProb, maxPredictionsPerSeq, ngram } = options;
  const n = ids.length;
  const inputIds = Array.from(ids);
  // words: runs of non-special tokens; a word starts at a ▁-piece or right after a special token
  const wordStart: number[] = [];
  const wordEnd: number[] = [];
  const wordSeg: number[] = [];
  let seg = 0;
  let maskable = 0;
  let prevSpecial = true;
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (vocab.isSpecial[id]) {
      if (id === vocab.specialIds.sep) seg++;
      prevSpecial = true;
      continue;
    }
    maskable++;
    if (prevSpecial || vocab.isWordStart[id]) {
      wordStart.push(i); wordEnd.push(i + 1); wordSeg.push(seg);
    } else {
      wordEnd[wordEnd.length - 1] = i + 1;
    }
    prevSpecial = false;
  }
  const result: MaskedSequence = { inputIds, positions: [], labels: [], maskable, ngramLengths: [] };
  if (maskedLmProb <= 0 || maxPredictionsPerSeq <= 0 || maskable === 0) return result;
  const numToPredict = Math.min(maxPredictionsPerSeq, Math.max(1, Math.round(maskable * maskedLmProb)));

  const W = wordStart.length;
  const wordCovered = new Uint8Array(W);
  const pvals: number[] = [];
  for (let k = 1; k <= ngram; k++) pvals.push(1 / k);
  const masked: number[] = [];
  // start words of the k-grams whose words are all uncovered and in one segment
  const starts = (k: number, maxTokens: number): number[] => {
    const out: number[] = [];
    for (let w = 0; w + k <= W; w++) {
      if (wordSeg[w + k - 1] !== wordSeg[w] || wordEnd[w + k - 1] - wordStart[w] > maxTokens) continue;
      let free = true;
      for (let j = w; j < w + k; j++) if (wordCovered[j]) { free = false; break; }
      if (free) out.push(w);
    }
    return out;
  };
  const accept = (w: number, k: number): void => {
    result.ngramLengths.push(k);
    for (let j = w; j < w + k; j++) wordCovered[j] = 1;
    for (let i = wordStart[w]; i < wordEnd[w + k - 1]; i++) {
      masked.push(i);
      if (rng.float() < 0.8) inputIds[i] = vocab.specialIds.mask;
      else if (rng.float() < 0.5) inputIds[i] = ids[i];
      else inputIds[i] = vocab.replacementIds[rng.int(0, vocab.replacementIds.length - 1)];
    }
  };

  const capIsBudget = numToPredict === maxPredictionsPerSeq;
  const psum = pvals.reduce((x, y) => x + y, 0);
  for (;;) {
    const room = numToPredict - masked.length;
    if (room <= 0) break;
    // free n-grams per n (a drawn n with none free falls back to the next shorter n that has some)
    const cands: number[][] = [];
    for (let k = 1; k <= ngram; k++) cands.push(starts(k, Infinity));
    const eff = (k: number): number => { while (k > 1 && cands[k - 1].length === 0) k--; return k; };
    if (cands[0].length === 0) break;
    // E[max(t, room)] for the tokens t the next draw adds (n ~ p(n), uniform placement; a span that would pass the
    // hard cap is replaced by single words up to the cap, so it adds capRoom)
    const capRoom = maxPredictionsPerSeq - masked.length;
    let emax = 0;
    for (let k = 1; k <= ngram; k++) {
      const e = eff(k);
      const c = cands[e - 1];
      let sum = 0;
      for (const w of c) sum += Math.max(room, Math.min(capRoom, wordEnd[w + e - 1] - wordStart[w]));
      emax += (pvals[k - 1] / psum) * (sum / c.length);
    }
    // Draw another n-gram with probability room / E[max(t, room)] (1 while every span fits). This rule looks only
    // at the past, so every n-gram drawn is kept and the lengths follow p(n) (Wald's identity), and by induction
    // the expected number of masked tokens from any room r is exactly r, so the expected count is the budget.
    if (!capIsBudget && rng.float() * emax >= room) break;
    const k = eff(rng.categorical(pvals) + 1);
    const c = cands[k - 1];
    const w = c[rng.int(0, c.length - 1)];
    const tokens = wordEnd[w + k - 1] - wordStart[w];
    if (masked.length + tokens <= maxPredictionsPerSeq) { accept(w, k); continue; }
    // At the hard cap: fill the remaining room with single words that fit, then stop.
    for (;;) {
      const fit = starts(1, maxPredictionsPerSeq - masked.length);
      if (fit.length === 0) break;
      accept(fit[rng.int(0, fit.length - 1)], 1);
    }
    break;
  }
  masked.sort((a, b) => a - b);
  result.positions = masked;
  result.labels = masked.map((i) => ids[i]);
  return result;
}
