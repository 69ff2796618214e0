// Held-out NSP/SOP pairs without the segment-length cue, and the surface rules (segment length, sentence-final
// punctuation) that a sentence head has to beat before its accuracy says anything about learning.
//
// Why: in ordinary SOP instances the original first segment tends to be shorter than the second (A is the first
// sentences of a chunk, B the rest), so "swapped if the first segment is longer" alone scores ~58% on them. On pairs
// whose segments differ by at most 2 tokens that rule is at chance, and labels are balanced so chance is 50%.
import { deriveSeed } from '@albert-ts/core';
import { DataError } from './errors.js';
import { type PretrainingInstance, createPretrainingInstances } from './instances.js';
import type { PieceTokenizer, TokenizedDocument, VocabInfo } from './tokenizer.js';
import { WORD_START } from './tokenizer.js';

/** Options of {@link lengthMatchedPairs}. */
export interface PairSetOptions {
  /** `sop` (label 1 = swapped) or `nsp` (label 1 = random next segment). */
  objective: 'sop' | 'nsp';
  maxSeqLength: number;
  seed: number;
  /** Pairs wanted (at least 2); the set has `2·floor(count/2)`: as many label-0 as label-1 pairs. */
  count: number;
  /** Largest allowed |len(A) − len(B)| in tokens (default 2). */
  maxLengthDifference?: number;
  /** As {@link createPretrainingInstances} (default `min(20, maxSeqLength)`). */
  maxPredictionsPerSeq?: number;
  /** As {@link createPretrainingInstances} (default 0.15). */
  maskedLmProb?: number;
  /**
   * Passes over the documents, each with its own seed (new cut points, negatives and masks), before the set is
   * returned short (default 8). Exact duplicates of an earlier pair are skipped.
   */
  maxPasses?: number;
}

/** Token counts of segment A and B of `[CLS] A [SEP] B [SEP]` (B is 0 for a single-segment instance). */
export function segmentLengths(inst: PretrainingInstance): { a: number; b: number } {
  let zeros = 0;
  for (const t of inst.tokenTypeIds) if (t === 0) zeros++;
  const ones = inst.tokenTypeIds.length - zeros;
  return { a: zeros - 2, b: Math.max(0, ones - 1) };
}

/** The instance's ids before masking. */
export function unmaskedIds(inst: PretrainingInstance): number[] {
  const ids = inst.inputIds.slice();
  inst.maskedLmPositions.forEach((p, j) => { ids[p] = inst.maskedLmIds[j]; });
  return ids;
}

function checkCount(field: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new DataError(`${field} must be an integer >= ${min}, got ${String(v)}`, { field, value: v });
  return v;
}

/**
 * A balanced, length-matched held-out set for an inter-sentence objective: instances built exactly as for training
 * ({@link createPretrainingInstances}: same chunking, truncation and masking) from `docs`, kept only when their two
 * segments differ by at most `maxLengthDifference` tokens, and taken in label-0/label-1 couples with the same
 * difference len(A) − len(B). So every rule that looks only at the length difference scores exactly 50% (truncation
 * trims the longer segment, ties from B, which leaves a small order cue that per-difference balancing removes).
 * Returns fewer pairs (still balanced) when `maxPasses` passes over the documents do not yield enough; throws
 * {@link DataError} when they yield none. Deterministic for a seed.
 */
export function lengthMatchedPairs(docs: readonly TokenizedDocument[], vocab: VocabInfo, o: PairSetOptions): PretrainingInstance[] {
  if (o.objective !== 'sop' && o.objective !== 'nsp') {
    throw new DataError(`objective must be sop or nsp for a sentence-pair set, got '${String(o.objective)}'`, { field: 'objective', value: o.objective });
  }
  const couples = Math.floor(checkCount('count', o.count, 2) / 2);
  const tolerance = checkCount('maxLengthDifference', o.maxLengthDifference ?? 2, 0);
  const passes = checkCount('maxPasses', o.maxPasses ?? 8, 1);
  // Waiting instances per (length difference, label); a couple is emitted as soon as both sides have one.
  const waiting = new Map<number, [PretrainingInstance[], PretrainingInstance[]]>();
  const out: PretrainingInstance[] = [];
  const seen = new Set<string>();
  for (let pass = 0; pass < passes && out.length < 2 * couples; pass++) {
    const seed = pass === 0 ? o.seed : deriveSeed(o.seed, 'length-matched-pairs', pass);
    for (const inst of createPretrainingInstances(docs, vocab, {
      objective: o.objective, maxSeqLength: o.maxSeqLength, seed, maxPredictionsPerSeq: o.maxPredictionsPerSeq, maskedLmProb: o.maskedLmProb,
    })) {
      const { a, b } = segmentLengths(inst);
      if (inst.label === null || Math.abs(a - b) > tolerance) continue;
      const key = `${inst.doc}\u0000${inst.docB}\u0000${unmaskedIds(inst).join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let q = waiting.get(a - b);
      if (!q) waiting.set(a - b, (q = [[], []]));
      q[inst.label].push(inst);
      if (q[0].length > 0 && q[1].length > 0) {
        out.push(q[0].shift()!, q[1].shift()!);
        if (out.length >= 2 * couples) break;
      }
    }
  }
  if (out.length === 0) {
    throw new DataError(`held-out documents give no ${o.objective} pairs with segments within ${tolerance} tokens of each other (${docs.length} documents)`, { field: 'corpus' });
  }
  return out;
}

/**
 * Ids whose piece ends a sentence: after removing the word-start mark, it ends with `.`, `!` or `?`, optionally
 * followed by closing quotes or brackets. Special ids never do.
 */
export function sentenceEndIds(tokenizer: PieceTokenizer): Uint8Array {
  const out = new Uint8Array(tokenizer.vocabSize);
  const { cls, sep, mask, pad } = tokenizer.specialIds;
  for (let id = 0; id < tokenizer.vocabSize; id++) {
    if (id === cls || id === sep || id === mask || id === pad || tokenizer.isSpecial?.(id)) continue;
    const piece = tokenizer.idToPiece(id).split(WORD_START).join('');
    if (/[.!?]["'\u201d\u2019)\]]*$/.test(piece)) out[id] = 1;
  }
  return out;
}

/** Accuracy of a surface rule on a pair set, in the better of its two orientations. */
export interface CueRule {
  /** `correct / n`, where correct is the larger of the rule's and its inverse's correct counts. */
  readonly accuracy: number;
  readonly correct: number;
  readonly n: number;
}

/** The surface-cue baselines of a pair set (see {@link pairCueBaselines}). */
export interface PairCueBaselines {
  /** Predicts 1 when segment A is longer than segment B. */
  readonly lengthRule: CueRule;
  /** Predicts 1 when A ends a sentence and B does not (sentence-final punctuation of the unmasked last token). */
  readonly punctuationRule: CueRule;
}

function rule(instances: readonly PretrainingInstance[], predict: (x: PretrainingInstance) => 0 | 1): CueRule {
  let correct = 0;
  for (const x of instances) if (predict(x) === x.label) correct++;
  const n = instances.length;
  const best = Math.max(correct, n - correct);
  return { accuracy: n > 0 ? best / n : NaN, correct: best, n };
}

/**
 * What two label-blind surface rules score on a labelled pair set, each in its better orientation (so the number is
 * what the cue can give at most, an upper bound for the rule family): the segment-length rule and the
 * sentence-final-punctuation rule. A sentence head's accuracy means learning only when it is above these and 50%.
 * `sentenceEnd` comes from {@link sentenceEndIds}.
 */
export function pairCueBaselines(instances: readonly PretrainingInstance[], sentenceEnd: Uint8Array): PairCueBaselines {
  for (const x of instances) {
    if (x.label === null) throw new DataError('pairCueBaselines needs labelled sentence pairs (objective sop or nsp), got an instance with label null', { field: 'label' });
  }
  const ends = (x: PretrainingInstance): [boolean, boolean] => {
    const ids = unmaskedIds(x);
    const firstB = x.tokenTypeIds.indexOf(1);
    // [CLS] A [SEP] | B [SEP]: A's last token is just before the first [SEP], B's just before the final one.
    const lastA = ids[(firstB < 0 ? ids.length : firstB) - 2];
    const lastB = ids[ids.length - 2];
    return [sentenceEnd[lastA] === 1, sentenceEnd[lastB] === 1];
  };
  return {
    lengthRule: rule(instances, (x) => {
      const { a, b } = segmentLengths(x);
      return a > b ? 1 : 0;
    }),
    punctuationRule: rule(instances, (x) => {
      const [ea, eb] = ends(x);
      return ea && !eb ? 1 : 0;
    }),
  };
}
