import { compareCodePoints } from './corpus.js';
import { isValidPiece, type PieceRules } from './piece-validity.js';
import { cappedSuffixArray, forEachLcpInterval } from './suffix-array.js';
import { splitIntoWords } from './words.js';

/** A piece and its score (a log probability once normalized). */
export type ScoredPiece = [piece: string, score: number];

/** Symbol that follows a word that is followed by another word (stands for U+2581; never valid in a piece). */
const NEXT_WORD = 0x110001;
/** Symbol that follows the last word of a sentence (SentencePiece's sentence boundary 0x0000). */
const SENTENCE_END = 0;

/**
 * Seed vocabulary of the unigram trainer, as `MakeSeedSentencePieces` of SentencePiece 0.1.97: every character of
 * the alphabet (scored by its count), plus the `seedSentencepieceSize` best branching substrings — internal nodes
 * of the corpus suffix tree, i.e. substrings seen at least twice with two different right contexts — that are
 * valid pieces of length >= 2, scored by `frequency × length`. All scores are then turned into log probabilities.
 *
 * Since a valid piece never spans a word boundary (U+2581 only as first symbol, no boundaries), the suffix array
 * is built over the distinct words — each followed by a symbol standing for what follows it in the corpus
 * (another word or the sentence end) and weighted by its count — instead of the whole corpus; this enumerates the
 * same substrings with the same frequencies in memory proportional to the vocabulary of words.
 */
export function makeSeedPieces(
  sentences: readonly string[],
  requiredChars: ReadonlyArray<readonly [number, number]>,
  rules: PieceRules & { readonly seedSentencepieceSize: number },
): ScoredPiece[] {
  // Distinct words by what follows them.
  const followed = new Map<string, [number, number]>();
  for (const s of sentences) {
    const words = splitIntoWords(s);
    for (let j = 0; j < words.length; j++) {
      let e = followed.get(words[j]!);
      if (e === undefined) followed.set(words[j]!, (e = [0, 0]));
      e[j === words.length - 1 ? 1 : 0]++;
    }
  }
  let total = 0;
  const entries: [number[], number, number][] = [];
  for (const [w, [mid, last]] of followed) {
    const cps = Array.from(w, (ch) => ch.codePointAt(0)!);
    if (mid > 0) entries.push([cps, NEXT_WORD, mid]);
    if (last > 0) entries.push([cps, SENTENCE_END, last]);
  }
  for (const [cps] of entries) total += cps.length + 1;
  const text = new Int32Array(total);
  const weight = new Float64Array(total);
  let p = 0;
  for (const [cps, terminal, count] of entries) {
    for (const c of cps) {
      weight[p] = count;
      text[p++] = c;
    }
    text[p++] = terminal;
  }

  const depthCap = rules.maxSentencepieceLength + 1;
  const sarr = cappedSuffixArray(text, depthCap);
  const cum = new Float64Array(total + 1);
  for (let i = 0; i < total; i++) cum[i + 1] = cum[i]! + weight[sarr.sa[i]!]!;

  // Candidates: valid branching substrings of length >= 2, in enumeration order (ties keep this order).
  const candStart: number[] = [];
  const candLen: number[] = [];
  const candScore: number[] = [];
  forEachLcpInterval(sarr, (lb, rb, depth) => {
    if (depth <= 1 || depth > rules.maxSentencepieceLength) return;
    const offset = sarr.sa[lb]!;
    if (!isValidPiece(text, offset, offset + depth, rules)) return;
    const freq = cum[rb]! - cum[lb]!;
    candStart.push(offset);
    candLen.push(depth);
    candScore.push(freq * depth);
  });
  const order = Array.from(candScore.keys()).sort((a, b) => candScore[b]! - candScore[a]! || a - b);
  order.length = Math.min(order.length, rules.seedSentencepieceSize);

  const seeds: ScoredPiece[] = [...requiredChars]
    .map(([cp, count]): ScoredPiece => [String.fromCodePoint(cp), count])
    .sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
  const chars = new Set(seeds.map((s) => s[0]));
  for (const k of order) {
    const s = String.fromCodePoint(...text.subarray(candStart[k]!, candStart[k]! + candLen[k]!));
    if (!chars.has(s)) seeds.push([s, candScore[k]!]);
  }
  toLogProb(seeds);
  return seeds;
}

/** Replaces each score by `log(score / sum)`, in float32 as SentencePiece stores it. */
function toLogProb(pieces: ScoredPiece[]): void {
  let sum = 0;
  for (const p of pieces) sum += p[1];
  const logsum = Math.log(sum);
  for (const p of pieces) p[1] = Math.fround(Math.log(p[1]) - logsum);
}
