import { oneCharLen } from '../utf8.js';
import type { Segmentation, SegmentationModel, Vocabulary } from './vocabulary.js';

/** sentencepiece's penalty (in log-probability) subtracted from the lowest score for an unknown character. */
export const UNK_PENALTY = 10;

/**
 * Unigram language-model segmentation: the Viterbi best path over all vocabulary pieces, exactly as
 * sentencepiece's `unigram::Model::EncodeOptimized` (float32 path scores, user-defined pieces scored
 * `length * maxScore - 0.1`, unknown characters scored `minScore - 10`, first-best kept on ties).
 */
export class UnigramModel implements SegmentationModel {
  private readonly vocab: Vocabulary;
  private readonly unkScore: number;
  private readonly pieceScore: Float64Array;
  private readonly userDefined: Uint8Array;
  private readonly unused: Uint8Array;
  private scores = new Float32Array(0);
  private starts = new Int32Array(0);
  private ids = new Int32Array(0);

  constructor(vocab: Vocabulary) {
    this.vocab = vocab;
    this.unkScore = Math.fround(Math.fround(vocab.minScore) - UNK_PENALTY);
    const n = vocab.size;
    this.pieceScore = new Float64Array(n);
    this.userDefined = new Uint8Array(n);
    this.unused = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      this.pieceScore[i] = vocab.scores[i]!;
      this.userDefined[i] = vocab.isUserDefined(i) ? 1 : 0;
      this.unused[i] = vocab.isUnused(i) ? 1 : 0;
    }
  }

  encode(text: Uint8Array): Segmentation {
    const size = text.length;
    if (this.scores.length < size + 1) {
      const cap = Math.max(size + 1, this.scores.length * 2);
      this.scores = new Float32Array(cap);
      this.starts = new Int32Array(cap);
      this.ids = new Int32Array(cap);
    }
    const bestScore = this.scores;
    const bestStart = this.starts;
    const bestId = this.ids;
    bestScore.fill(0, 0, size + 1);
    bestStart.fill(-1, 0, size + 1);
    bestId.fill(-1, 0, size + 1);
    const { base, check, value } = this.vocab.trie;
    const pieceScore = this.pieceScore;
    const userDefined = this.userDefined;
    const unused = this.unused;
    const maxScore = this.vocab.maxScore;
    const unkScore = this.unkScore;
    const unkId = this.vocab.unkId;

    let startsAt = 0;
    while (startsAt < size) {
      const tillHere = bestScore[startsAt]!;
      let hasSingleNode = false;
      const mblen = Math.min(oneCharLen(text[startsAt]!), size - startsAt);
      let s = 0;
      for (let keyPos = startsAt; keyPos < size; ) {
        const t = base[s]! + text[keyPos]!;
        if (check[t] !== s) break;
        s = t;
        keyPos++;
        const id = value[s]!;
        if (id < 0 || unused[id] === 1) continue;
        const length = keyPos - startsAt;
        const score = userDefined[id] === 1 ? length * maxScore - 0.1 : pieceScore[id]!;
        const candidate = score + tillHere;
        if (bestStart[keyPos] === -1 || candidate > bestScore[keyPos]!) {
          bestScore[keyPos] = candidate;
          bestStart[keyPos] = startsAt;
          bestId[keyPos] = id;
        }
        if (!hasSingleNode && length === mblen) hasSingleNode = true;
      }
      if (!hasSingleNode) {
        const target = startsAt + mblen;
        const candidate = Math.fround(unkScore + tillHere);
        if (bestStart[target] === -1 || candidate > bestScore[target]!) {
          bestScore[target] = candidate;
          bestStart[target] = startsAt;
          bestId[target] = unkId;
        }
      }
      startsAt += mblen;
    }

    // Backtrack.
    let count = 0;
    for (let endsAt = size; endsAt > 0; endsAt = bestStart[endsAt]!) count++;
    const starts = new Int32Array(count);
    const ends = new Int32Array(count);
    const ids = new Int32Array(count);
    let k = count;
    for (let endsAt = size; endsAt > 0; ) {
      k--;
      const st = bestStart[endsAt]!;
      starts[k] = st;
      ends[k] = endsAt;
      ids[k] = bestId[endsAt]!;
      endsAt = st;
    }
    return { starts, ends, ids, length: count };
  }
}
