import { TokenizerError } from '../errors.js';
import { UNK_CHAR, compareCodePoints, type TrainingCorpus } from './corpus.js';
import type { ResolvedTrainerOptions, TrainerProgress } from './options.js';
import { isValidPiece } from './piece-validity.js';
import type { ScoredPiece } from './seed-pieces.js';
import { countWords } from './words.js';

/** Positions are keyed `word * POS_RADIX + index`; words are far shorter than this. */
const POS_RADIX = 1 << 22;
/** Pair keys are `left * PAIR_RADIX + right` (exact in a double while symbol ids stay below 2^26). */
const PAIR_RADIX = 2 ** 26;

/** A symbol: a character, or the merge of two symbols. */
interface BpeSymbol {
  readonly left: number;
  readonly right: number;
  readonly chars: readonly number[];
  readonly text: string;
  readonly isUnk: boolean;
  freq: number;
  /** Candidate occurrences `word * POS_RADIX + leftIndex`; stale ones are dropped when the frequency is recomputed. */
  positions: Set<number>;
  needsRecomputation: boolean;
  pending: boolean;
  active: boolean;
}

/** Max-heap on (frequency desc, length asc, text asc) over `[freq, symbolId]` entries, lazily invalidated. */
class SymbolHeap {
  private readonly items: [number, number][] = [];
  constructor(private readonly symbols: readonly BpeSymbol[]) {}

  get size(): number {
    return this.items.length;
  }

  private before(a: [number, number], b: [number, number]): boolean {
    if (a[0] !== b[0]) return a[0] > b[0];
    const sa = this.symbols[a[1]]!;
    const sb = this.symbols[b[1]]!;
    if (sa.chars.length !== sb.chars.length) return sa.chars.length < sb.chars.length;
    return compareCodePoints(sa.text, sb.text) < 0;
  }

  push(item: [number, number]): void {
    const h = this.items;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  top(): [number, number] {
    return this.items[0]!;
  }

  pop(): void {
    const h = this.items;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

/**
 * BPE training as `bpe::Trainer::Train` of SentencePiece: start from the characters of every word, repeatedly
 * merge the most frequent adjacent pair that forms a valid piece (ties: the shorter, then the lexicographically
 * smaller piece; SentencePiece 0.1.97 scans only its most frequent symbols, this scans all, which agrees whenever
 * the best pair is among them), skip merges whose string was already produced by another path, and stop after
 * `available - alphabet` merges. Piece scores are `-rank`; the alphabet follows the merges, most frequent first.
 */
export function trainBpePieces(
  corpus: TrainingCorpus,
  o: ResolvedTrainerOptions,
  available: number,
  report: (p: TrainerProgress) => void,
): { pieces: ScoredPiece[] } {
  const { words, counts } = o.splitByWhitespace ? countWords(corpus.sentences) : countWhole(corpus.sentences);
  const charFreq = new Map(corpus.requiredChars.map(([cp, c]) => [cp, c]));
  const symbols: BpeSymbol[] = [];
  const charCache = new Map<number, number>(); // code point -> symbol id
  const pairCache = new Map<number, number>(); // left * PAIR_RADIX + right -> symbol id, or -1 for an invalid piece
  const pendingQueue: number[] = [];

  const charSymbol = (cp: number): number => {
    let id = charCache.get(cp);
    if (id === undefined) {
      id = symbols.length;
      symbols.push({
        left: -1, right: -1, chars: [cp], text: String.fromCodePoint(cp), isUnk: cp === UNK_CHAR,
        freq: charFreq.get(cp) ?? 1, positions: new Set(), needsRecomputation: false, pending: false, active: true,
      });
      charCache.set(cp, id);
    }
    return id;
  };
  const pairSymbol = (left: number, right: number): number => {
    const l = symbols[left]!;
    const r = symbols[right]!;
    if (l.isUnk || r.isUnk) return -1;
    const key = left * PAIR_RADIX + right;
    const hit = pairCache.get(key);
    if (hit !== undefined) return hit;
    const chars = [...l.chars, ...r.chars];
    if (!isValidPiece(chars, 0, chars.length, o)) {
      pairCache.set(key, -1);
      return -1;
    }
    const id = symbols.length;
    if (id >= PAIR_RADIX) throw new TokenizerError('BPE training: too many candidate symbols for this input');
    symbols.push({
      left, right, chars, text: l.text + r.text, isUnk: false,
      freq: 0, positions: new Set(), needsRecomputation: false, pending: false, active: true,
    });
    pairCache.set(key, id);
    return id;
  };

  // seq[w][i]: symbol at index i of word w, or -1 once merged into its left neighbour.
  const seq: Int32Array[] = words.map((w) => Int32Array.from(w, (ch) => charSymbol(ch.codePointAt(0)!)));
  for (const s of seq) {
    if (s.length >= POS_RADIX) throw new TokenizerError(`BPE training: a word of ${s.length} characters is too long`);
  }
  const next = (s: Int32Array, i: number): number => {
    for (let j = i + 1; j < s.length; j++) if (s[j]! >= 0) return j;
    return -1;
  };
  const prev = (s: Int32Array, i: number): number => {
    for (let j = i - 1; j >= 0; j--) if (s[j]! >= 0) return j;
    return -1;
  };
  const addPair = (w: number, left: number, right: number): void => {
    if (left < 0 || right < 0) return;
    const s = seq[w]!;
    const id = pairSymbol(s[left]!, s[right]!);
    if (id < 0) return;
    const sym = symbols[id]!;
    sym.positions.add(w * POS_RADIX + left);
    if (!sym.pending) {
      sym.pending = true;
      pendingQueue.push(id);
    }
  };
  const resetFreq = (w: number, left: number, right: number, best: number): void => {
    if (left < 0 || right < 0) return;
    const s = seq[w]!;
    const id = pairSymbol(s[left]!, s[right]!);
    if (id >= 0 && id !== best) symbols[id]!.needsRecomputation = true;
  };
  // Recounts a symbol over its still-valid positions, in position order, dropping stale ones. As in SentencePiece
  // 0.1.97/0.1.98's ComputeFreq, an occurrence overlapping the previous counted one ("AAA" for "AA") is dropped
  // too, and the next one counts again ("AAAA" counts 2).
  const computeFreq = (sym: BpeSymbol): void => {
    sym.freq = 0;
    let prevWord = -1;
    let prevRight = -1;
    const keys = [...sym.positions].sort((a, b) => a - b);
    for (const key of keys) {
      const w = Math.floor(key / POS_RADIX);
      const left = key - w * POS_RADIX;
      const s = seq[w]!;
      const right = s[left]! === sym.left ? next(s, left) : -1;
      if ((w === prevWord && left === prevRight) || right < 0 || s[right] !== sym.right) {
        sym.positions.delete(key);
        prevWord = -1;
        prevRight = -1;
        continue;
      }
      sym.freq += counts[w]!;
      prevWord = w;
      prevRight = right;
    }
    sym.needsRecomputation = false;
  };

  for (let w = 0; w < seq.length; w++) for (let i = 1; i < seq[w]!.length; i++) addPair(w, i - 1, i);
  const heap = new SymbolHeap(symbols);
  const flushPending = (): void => {
    for (const id of pendingQueue) {
      const sym = symbols[id]!;
      sym.pending = false;
      if (!sym.active) continue;
      computeFreq(sym);
      heap.push([sym.freq, id]);
    }
    pendingQueue.length = 0;
  };
  flushPending();

  const merges = available - corpus.requiredChars.length;
  const pieces: ScoredPiece[] = [];
  const dup = new Set<string>();
  while (pieces.length < merges) {
    let best = -1;
    while (heap.size > 0) {
      const [freq, id] = heap.top();
      const sym = symbols[id]!;
      heap.pop();
      if (!sym.active || freq !== sym.freq) continue;
      if (sym.needsRecomputation) {
        computeFreq(sym);
        heap.push([sym.freq, id]);
        continue;
      }
      best = id;
      break;
    }
    if (best < 0) break; // no pair left to merge
    const sym = symbols[best]!;
    sym.active = false;
    if (dup.has(sym.text)) continue;
    dup.add(sym.text);
    pieces.push([sym.text, -pieces.length]);
    if (pieces.length % 100 === 0 || pieces.length === merges) {
      report({ phase: 'merge', message: `merges ${pieces.length}/${merges} (freq=${sym.freq} piece=${sym.text})`, size: pieces.length, fraction: 0.05 + 0.9 * (pieces.length / merges) });
    }
    // Replace every occurrence, updating the neighbouring pairs.
    for (const key of [...sym.positions].sort((a, b) => a - b)) {
      const w = Math.floor(key / POS_RADIX);
      const left = key - w * POS_RADIX;
      const s = seq[w]!;
      if (s[left]! < 0) continue; // merged away earlier in this loop (e.g. "a a a")
      const right = next(s, left);
      if (right < 0 || s[left] !== sym.left || s[right] !== sym.right) continue;
      const nx = next(s, right);
      const pv = prev(s, left);
      resetFreq(w, pv, left, best);
      resetFreq(w, right, nx, best);
      s[left] = best;
      s[right] = -1;
      addPair(w, pv, left);
      addPair(w, left, nx);
    }
    flushPending();
  }

  const chars = [...corpus.requiredChars].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [cp] of chars) pieces.push([String.fromCodePoint(cp), -pieces.length]);
  return { pieces: pieces.map(([p, s]) => [p, Math.fround(s)]) };
}

function countWhole(sentences: readonly string[]): { words: string[]; counts: number[] } {
  const map = new Map<string, number>();
  for (const s of sentences) map.set(s, (map.get(s) ?? 0) + 1);
  const entries = [...map.entries()].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
  return { words: entries.map((e) => e[0]), counts: entries.map((e) => e[1]) };
}
