import { TokenizerError } from '../errors.js';
import { compareCodePoints, type TrainingCorpus } from './corpus.js';
import { Lattice, digamma } from './lattice.js';
import { nbestTwo } from './nbest.js';
import type { ResolvedTrainerOptions, TrainerProgress } from './options.js';
import { makeSeedPieces, type ScoredPiece } from './seed-pieces.js';
import { countWords } from './words.js';

/** SentencePiece's penalty of unknown-character nodes below the lowest piece score. */
const UNK_PENALTY = 10;
/** M-step drops pieces whose expected count is below this. */
const EXPECTED_FREQUENCY_THRESHOLD = 0.5;
/**
 * Vocabulary id of unknown-character nodes while training: SentencePiece's trainer model never sets `unk_id_`, so
 * it keeps its default 0 and unknown nodes count towards the first piece (the most frequent character).
 */
const TRAINING_UNK_ID = 0;

/** Code points of a string. */
function codePoints(s: string): Int32Array {
  return Int32Array.from(s, (ch) => ch.codePointAt(0)!);
}

/**
 * Training words as code point arrays with every seed piece occurrence precomputed once. Pieces are only ever
 * removed during training, so each E-step maps seed indices to current ids instead of matching strings again.
 */
interface WordLattices {
  readonly count: Float64Array;
  readonly length: Int32Array;
  /** Occurrences of word `w` are `occ*[occOffset[w] .. occOffset[w + 1])`, by begin then length. */
  readonly occOffset: Int32Array;
  readonly occBegin: Int32Array;
  readonly occLen: Int32Array;
  readonly occSeed: Int32Array;
}

function buildWordLattices(words: readonly string[], counts: readonly number[], seeds: readonly ScoredPiece[], maxLen: number): WordLattices {
  const seedIndex = new Map<string, number>();
  seeds.forEach(([p], i) => seedIndex.set(p, i));
  const occOffset = new Int32Array(words.length + 1);
  let begin: number[] = [];
  let len: number[] = [];
  let seed: number[] = [];
  const length = new Int32Array(words.length);
  const unitOffsets: number[] = [];
  for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    unitOffsets.length = 0;
    for (let u = 0; u < word.length; u++) {
      unitOffsets.push(u);
      const c = word.charCodeAt(u);
      if (c >= 0xd800 && c <= 0xdbff) u++;
    }
    const n = unitOffsets.length;
    unitOffsets.push(word.length);
    length[w] = n;
    for (let b = 0; b < n; b++) {
      const lim = Math.min(maxLen, n - b);
      for (let l = 1; l <= lim; l++) {
        const i = seedIndex.get(word.slice(unitOffsets[b]!, unitOffsets[b + l]!));
        if (i !== undefined) {
          begin.push(b);
          len.push(l);
          seed.push(i);
        }
      }
    }
    occOffset[w + 1] = begin.length;
  }
  const out: WordLattices = {
    count: Float64Array.from(counts),
    length,
    occOffset,
    occBegin: Int32Array.from(begin),
    occLen: Int32Array.from(len),
    occSeed: Int32Array.from(seed),
  };
  begin = len = seed = [];
  return out;
}

/** The current model during EM: pieces, float32 scores, and the seed-index → current-id map. */
class TrainerModel {
  pieces: string[] = [];
  scores = new Float64Array(0);
  seedToId: Int32Array;
  minScore = 0;
  private readonly seedIndex: Map<string, number>;

  constructor(seeds: readonly ScoredPiece[]) {
    this.seedIndex = new Map(seeds.map(([p], i) => [p, i]));
    this.seedToId = new Int32Array(seeds.length);
    this.set(seeds);
  }

  set(pieces: readonly ScoredPiece[]): void {
    if (pieces.length === 0) throw new TokenizerError('unigram training removed every piece; the input is too small');
    this.pieces = pieces.map((p) => p[0]);
    this.scores = Float64Array.from(pieces, (p) => Math.fround(p[1]));
    this.seedToId.fill(-1);
    this.pieces.forEach((p, id) => { this.seedToId[this.seedIndex.get(p)!] = id; });
    let min = Infinity;
    for (const s of this.scores) min = Math.min(min, s);
    this.minScore = min;
  }

  get size(): number {
    return this.pieces.length;
  }

  entries(): ScoredPiece[] {
    return this.pieces.map((p, i) => [p, this.scores[i]!]);
  }

  /** Fills `lattice` with the current pieces occurring in word `w`, plus unknown nodes where no symbol piece is. */
  populateWord(lattice: Lattice, wl: WordLattices, w: number): void {
    const n = wl.length[w]!;
    lattice.reset(n);
    const unkScore = this.minScore - UNK_PENALTY;
    let k = wl.occOffset[w]!;
    const endK = wl.occOffset[w + 1]!;
    for (let b = 0; b < n; b++) {
      let single = false;
      for (; k < endK && wl.occBegin[k] === b; k++) {
        const id = this.seedToId[wl.occSeed[k]!]!;
        if (id < 0) continue;
        const len = wl.occLen[k]!;
        lattice.add(b, len, id, this.scores[id]!);
        if (len === 1) single = true;
      }
      if (!single) lattice.add(b, 1, TRAINING_UNK_ID, unkScore);
    }
  }

  /** Fills `lattice` with the current pieces occurring in `piece` (for pruning), plus unknown nodes. */
  populatePiece(lattice: Lattice, piece: string, byPiece: Map<string, number>): void {
    const cps = Array.from(piece);
    const n = cps.length;
    lattice.reset(n);
    const unkScore = this.minScore - UNK_PENALTY;
    for (let b = 0; b < n; b++) {
      let single = false;
      let sub = '';
      for (let e = b + 1; e <= n; e++) {
        sub += cps[e - 1]!;
        const id = byPiece.get(sub);
        if (id === undefined) continue;
        lattice.add(b, e - b, id, this.scores[id]!);
        if (e === b + 1) single = true;
      }
      if (!single) lattice.add(b, 1, TRAINING_UNK_ID, unkScore);
    }
  }
}

/** Result of {@link trainUnigramPieces}: the final normal pieces with scores, best first. */
export interface UnigramTrainingResult {
  readonly pieces: ScoredPiece[];
}

/**
 * Unigram language-model training as `unigram::Trainer::Train` of SentencePiece 0.1.97: seed pieces from frequent
 * substrings; EM (E-step: forward-backward expected counts over each word's lattice; M-step: drop pieces expected
 * less than 0.5 times and score the rest `digamma(count) - digamma(total)`, the Bayesian/DP variant); after every
 * `numSubIterations` EM steps prune to `max(1.1 × vocabSize, shrinkingFactor × size)` pieces by the likelihood
 * loss of replacing each piece with its second-best segmentation; finally keep the alphabet plus the
 * best-scoring pieces up to `vocabSize` minus the meta pieces.
 */
export function trainUnigramPieces(
  corpus: TrainingCorpus,
  o: ResolvedTrainerOptions,
  numMetaPieces: number,
  report: (p: TrainerProgress) => void,
): UnigramTrainingResult {
  const seeds = makeSeedPieces(corpus.sentences, corpus.requiredChars, o);
  report({ phase: 'seed', message: `initialized ${seeds.length} seed pieces`, size: seeds.length, fraction: 0.05 });
  if (seeds.length + numMetaPieces < o.vocabSize) {
    // Training only removes pieces: fail now rather than after EM.
    throw new TokenizerError(`vocabSize ${o.vocabSize} is too high for this input: it has only ${seeds.length + numMetaPieces} candidate pieces, reserved pieces included`);
  }

  const sentences = o.splitByWhitespace ? countWords(corpus.sentences) : countSentences(corpus.sentences);
  const wl = buildWordLattices(sentences.words, sentences.counts, seeds, o.maxSentencepieceLength);
  const model = new TrainerModel(seeds);
  const lattice = new Lattice();
  const path: number[] = [];
  const desired = Math.floor(o.vocabSize * 1.1);
  const startLog = Math.log(Math.max(seeds.length, desired + 1) / desired);

  let allFreq = 0;
  for (const c of wl.count) allFreq += c;

  for (;;) {
    for (let iter = 0; iter < o.numSubIterations; iter++) {
      // E-step.
      const expected = new Float32Array(model.size); // float32 accumulation, as SentencePiece
      let objective = 0;
      let numTokens = 0;
      for (let w = 0; w < wl.length.length; w++) {
        model.populateWord(lattice, wl, w);
        const freq = wl.count[w]!;
        const z = lattice.populateMarginal(freq, expected);
        numTokens += lattice.viterbi(path);
        if (Number.isNaN(z)) throw new TokenizerError('unigram training diverged (likelihood is NaN); an input line may be too long');
        objective -= z / allFreq;
      }
      // M-step.
      const next: ScoredPiece[] = [];
      let sum = 0;
      for (let i = 0; i < model.size; i++) {
        const freq = Math.fround(expected[i]!);
        if (freq < EXPECTED_FREQUENCY_THRESHOLD) continue;
        next.push([model.pieces[i]!, freq]);
        sum = Math.fround(sum + freq);
      }
      const logsum = digamma(sum);
      for (const p of next) p[1] = Math.fround(digamma(p[1]) - logsum);
      model.set(next);
      report({
        phase: 'em',
        message: `EM sub_iter=${iter} size=${model.size} obj=${objective.toFixed(5)} num_tokens=${numTokens}`,
        size: model.size,
        fraction: progressFraction(model.size, desired, startLog),
      });
    }
    if (model.size <= desired) break;
    const before = model.size;
    model.set(prunePieces(model, wl, lattice, desired, o.shrinkingFactor));
    report({ phase: 'prune', message: `pruned ${before} -> ${model.size} pieces`, size: model.size, fraction: progressFraction(model.size, desired, startLog) });
    if (model.size >= before) break; // nothing left to prune (tiny corpus)
  }

  return { pieces: finalizePieces(model, corpus, o.vocabSize - numMetaPieces) };
}

function progressFraction(size: number, desired: number, startLog: number): number {
  const f = 1 - Math.log(Math.max(size, desired) / desired) / startLog;
  return 0.05 + 0.9 * Math.min(1, Math.max(0, f));
}

function countSentences(sentences: readonly string[]): { words: string[]; counts: number[] } {
  const map = new Map<string, number>();
  for (const s of sentences) map.set(s, (map.get(s) ?? 0) + 1);
  const entries = [...map.entries()].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
  return { words: entries.map((e) => e[0]), counts: entries.map((e) => e[1]) };
}

/** `unigram::Trainer::PruneSentencePieces`. */
function prunePieces(model: TrainerModel, wl: WordLattices, lattice: Lattice, desired: number, shrinkingFactor: number): ScoredPiece[] {
  const size = model.size;
  const byPiece = new Map<string, number>(model.pieces.map((p, i) => [p, i]));
  const alwaysKeep = new Uint8Array(size).fill(1);
  const alternatives: (number[] | undefined)[] = new Array(size);
  const path: number[] = [];
  for (let i = 0; i < size; i++) {
    const piece = model.pieces[i]!;
    model.populatePiece(lattice, piece, byPiece);
    const nbests = nbestTwo(lattice);
    if (nbests.length === 1) continue; // no second-best segmentation: always keep
    if (nbests[0]!.length >= 2) {
      alwaysKeep[i] = 0; // its best segmentation is already split: can be removed safely
    } else if (nbests[0]!.length === 1) {
      alternatives[i] = nbests[1]!.map((k) => lattice.id[k]!);
    }
  }

  // Viterbi frequencies over the corpus.
  const freq = new Float64Array(size);
  let vsum = 0;
  for (let w = 0; w < wl.length.length; w++) {
    model.populateWord(lattice, wl, w);
    const c = wl.count[w]!;
    vsum += c;
    if (lattice.viterbi(path) < 0) continue;
    for (const k of path) {
      const id = lattice.id[k]!;
      if (id >= 0) freq[id] += c;
    }
  }
  // Float32 arithmetic as in SentencePiece, so that near-equal losses tie (and break ties by id) the same way.
  const f32 = Math.fround;
  let sumD = 0;
  for (const f of freq) sumD += f;
  const sum = f32(sumD);
  const logsum = f32(Math.log(sum));
  const vsumF = f32(vsum);

  const kept: ScoredPiece[] = [];
  const candidates: [number, number][] = [];
  for (let i = 0; i < size; i++) {
    const alt = alternatives[i];
    if (freq[i] === 0 || !alwaysKeep[i]) continue;
    if (alt === undefined || alt.length === 0) {
      kept.push([model.pieces[i]!, model.scores[i]!]);
      continue;
    }
    const fi = f32(freq[i]!);
    const f = f32(fi / vsumF); // frequency of sentences containing the piece, as the inverted index counts it
    const logprobSp = f32(Math.log(fi) - logsum);
    const logsumAlt = f32(Math.log(f32(sum + f32(fi * (alt.length - 1)))));
    let logprobAlt = 0;
    for (const n of alt) logprobAlt = f32(logprobAlt + (Math.log(f32(f32(freq[n]!) + fi)) - logsumAlt));
    candidates.push([i, f32(f * f32(logprobSp - logprobAlt))]);
  }
  const prunedSize = Math.max(desired, Math.trunc(Math.fround(shrinkingFactor) * size));
  candidates.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [i] of candidates) {
    if (kept.length >= prunedSize) break;
    kept.push([model.pieces[i]!, model.scores[i]!]);
  }
  return kept;
}

/** `unigram::Trainer::FinalizeSentencePieces`: the alphabet first, then the best-scoring pieces. */
function finalizePieces(model: TrainerModel, corpus: TrainingCorpus, vocabSizeSize: number): ScoredPiece[] {
  const sp = new Map(model.entries());
  const final = new Map<string, number>();
  let penalty = 0;
  const sortedChars = [...corpus.requiredChars].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [cp] of sortedChars) {
    const s = String.fromCodePoint(cp);
    const score = sp.get(s);
    if (score !== undefined) final.set(s, score);
    else {
      final.set(s, Math.fround(model.minScore + penalty));
      penalty = Math.fround(penalty + 0.0001);
    }
  }
  const byScore = model.entries().sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
  for (const [p, s] of byScore) {
    if (final.has(p)) continue;
    if (final.size >= vocabSizeSize) break;
    final.set(p, s);
  }
  return [...final.entries()].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
}
