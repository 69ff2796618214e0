import { oneCharLen, utf8Decode } from '../utf8.js';
import type { Segmentation, SegmentationModel, Vocabulary } from './vocabulary.js';

/**
 * sentencepiece's BPE segmentation (`bpe::Model::Encode`): start from characters (user-defined symbols are
 * single frozen symbols), repeatedly merge the adjacent pair whose concatenation is the best-scoring piece
 * (ties: leftmost first), then re-split UNUSED pieces into the pair they were merged from.
 */
export class BpeModel implements SegmentationModel {
  private readonly vocab: Vocabulary;
  /**
   * True when no matchable piece has `▁` after its first character: then no merge can cross the start of a
   * `▁`-word, and encoding word by word gives exactly the same result (merge order only depends on piece scores
   * and positions within a word), with small heaps.
   */
  private readonly wordLocal: boolean;

  constructor(vocab: Vocabulary) {
    this.vocab = vocab;
    let wordLocal = true;
    for (let id = 0; id < vocab.size && wordLocal; id++) {
      if (vocab.isControl(id) || vocab.isUnknown(id) || vocab.isByte(id)) continue;
      const b = vocab.pieceBytes[id]!;
      for (let i = 1; i + 2 < b.length && wordLocal; i++) {
        if (b[i] === 0xe2 && b[i + 1] === 0x96 && b[i + 2] === 0x81) wordLocal = false;
      }
    }
    this.wordLocal = wordLocal;
  }

  encode(text: Uint8Array): Segmentation {
    const out: Out = { starts: [], ends: [], ids: [] };
    const size = text.length;
    if (!this.wordLocal) {
      this.encodeRange(text, 0, size, out);
    } else {
      let from = 0;
      for (let i = 1; i + 2 < size; i++) {
        if (text[i] === 0xe2 && text[i + 1] === 0x96 && text[i + 2] === 0x81) {
          this.encodeRange(text, from, i, out);
          from = i;
          i += 2;
        }
      }
      if (from < size) this.encodeRange(text, from, size, out);
    }
    return { starts: Int32Array.from(out.starts), ends: Int32Array.from(out.ends), ids: Int32Array.from(out.ids), length: out.ids.length };
  }

  /** sentencepiece's `bpe::Model::Encode` on `text[from..to)`, appending to `out`. */
  private encodeRange(text: Uint8Array, from: number, to: number, out: Out): void {
    const size = to - from;
    if (size <= 0) return;
    const vocab = this.vocab;
    const trie = vocab.trie;
    const scores = vocab.scores;
    // Symbols: [symStart, symEnd) over `text`, doubly linked.
    const symStart = new Int32Array(size);
    const symEnd = new Int32Array(size);
    const prev = new Int32Array(size);
    const next = new Int32Array(size);
    const freeze = new Uint8Array(size);
    let count = 0;
    for (let pos = from; pos < to; count++) {
      const m = vocab.matcher.matchLength(text, pos, to);
      const len = m > 0 ? m : Math.min(to - pos, oneCharLen(text[pos]!));
      symStart[count] = pos;
      symEnd[count] = pos + len;
      freeze[count] = m > 0 ? 1 : 0;
      prev[count] = count - 1;
      pos += len;
      next[count] = pos >= to ? -1 : count + 1;
    }
    const heap = new PairHeap(count);
    let revMerge: Map<string, [number, number, number, number]> | undefined; // "start:end" -> left/right spans
    const maybeAdd = (left: number, right: number): void => {
      if (left === -1 || right === -1 || freeze[left] === 1 || freeze[right] === 1) return;
      const s = symStart[left]!;
      const e = symEnd[right]!;
      const id = trie.get(text, s, e);
      if (id < 0) return;
      heap.push(left, right, scores[id]!, e - s);
      if (vocab.isUnused(id)) {
        revMerge ??= new Map();
        revMerge.set(`${s}:${e}`, [symStart[left]!, symEnd[left]!, symStart[right]!, symEnd[right]!]);
      }
    };
    for (let i = 1; i < count; i++) maybeAdd(i - 1, i);

    while (heap.size > 0) {
      const e = heap.pop();
      const l = heap.left[e]!;
      const r = heap.right[e]!;
      const lLen = symEnd[l]! - symStart[l]!;
      const rLen = symEnd[r]! - symStart[r]!;
      if (lLen === 0 || rLen === 0 || lLen + rLen !== heap.len[e]) continue;
      symEnd[l] = symEnd[r]!;
      next[l] = next[r]!;
      if (next[r]! >= 0) prev[next[r]!] = l;
      symEnd[r] = symStart[r]!; // empty
      maybeAdd(prev[l]!, l);
      maybeAdd(l, next[l]!);
    }

    const resegment = (s: number, e: number): void => {
      const id = trie.get(text, s, e);
      if (id < 0 || !vocab.isUnused(id)) {
        out.starts.push(s);
        out.ends.push(e);
        out.ids.push(id < 0 ? this.lookupReserved(text, s, e) : id);
        return;
      }
      const p = revMerge?.get(`${s}:${e}`);
      if (p === undefined) {
        out.starts.push(s);
        out.ends.push(e);
        out.ids.push(id);
        return;
      }
      resegment(p[0], p[1]);
      resegment(p[2], p[3]);
    };
    for (let index = 0; index !== -1; index = next[index]!) resegment(symStart[index]!, symEnd[index]!);
  }

  /** `PieceToId` for a symbol that is not a matchable piece: a reserved piece with that text, or unknown. */
  private lookupReserved(text: Uint8Array, s: number, e: number): number {
    return this.vocab.pieceToId(utf8Decode(text.subarray(s, e)));
  }
}

interface Out {
  starts: number[];
  ends: number[];
  ids: number[];
}

/**
 * Max-heap of candidate merges ordered by score (higher first), then by left symbol index (lower first), as
 * sentencepiece's `SymbolPairComparator`. Entries live in typed arrays; the heap holds entry indices.
 */
class PairHeap {
  left: Int32Array;
  right: Int32Array;
  score: Float64Array;
  len: Int32Array;
  private heap: Int32Array;
  private entries = 0;
  size = 0;

  constructor(capacity: number) {
    const cap = Math.max(16, capacity);
    this.left = new Int32Array(cap);
    this.right = new Int32Array(cap);
    this.score = new Float64Array(cap);
    this.len = new Int32Array(cap);
    this.heap = new Int32Array(cap);
  }

  private before(i: number, j: number): boolean {
    const si = this.score[i]!;
    const sj = this.score[j]!;
    return si > sj || (si === sj && this.left[i]! < this.left[j]!);
  }

  private growEntries(): void {
    const cap = this.left.length * 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.left = grow(this.left, (n) => new Int32Array(n));
    this.right = grow(this.right, (n) => new Int32Array(n));
    this.score = grow(this.score, (n) => new Float64Array(n));
    this.len = grow(this.len, (n) => new Int32Array(n));
  }

  push(left: number, right: number, score: number, len: number): void {
    if (this.entries === this.left.length) this.growEntries();
    const e = this.entries++;
    this.left[e] = left;
    this.right[e] = right;
    this.score[e] = score;
    this.len[e] = len;
    if (this.size === this.heap.length) {
      const h = new Int32Array(this.heap.length * 2);
      h.set(this.heap);
      this.heap = h;
    }
    const heap = this.heap;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!this.before(e, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = e;
  }

  /** Removes the best entry and returns its index. */
  pop(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const last = --this.size;
    if (last > 0) {
      const e = heap[last]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        const r = l + 1;
        const c = r < last && this.before(heap[r]!, heap[l]!) ? r : l;
        if (!this.before(heap[c]!, e)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = e;
    }
    return top;
  }
}
