import type { Lattice } from './lattice.js';

/** A partial path of the A* search, from EOS back to `node` (-1 = BOS). */
interface Hypothesis {
  readonly node: number;
  readonly next: Hypothesis | undefined;
  readonly gx: number;
  readonly fx: number;
}

const BOS = -1;
const EOS = -2;

/**
 * The two best segmentations of a lattice, as SentencePiece's `Lattice::NBest(2)` finds them during unigram
 * pruning: an A* search from EOS with priority `fx = h(node) + g(x)`, `h` being the Viterbi score up to and including
 * the node (exact, so paths come out best first). Float32 arithmetic and libstdc++'s `std::priority_queue` heap
 * order are reproduced so that ties resolve as in SentencePiece. Returns up to two paths as lists of node indices
 * into the lattice.
 */
export function nbestTwo(lattice: Lattice): number[][] {
  const { length, size, begin, end, score } = lattice;
  const f32 = Math.fround;
  // Viterbi backtrace scores (best path score up to and including each node).
  const best = new Float32Array(length + 1).fill(NaN);
  best[0] = 0;
  const backtrace = new Float32Array(size);
  for (let k = 0; k < size; k++) {
    const from = best[begin[k]!]!;
    const v = f32(from + score[k]!);
    backtrace[k] = v;
    const e = end[k]!;
    if (Number.isNaN(best[e]!) || v > best[e]!) best[e] = v;
  }
  // Nodes ending at each position, in insertion order (SentencePiece's end_nodes_).
  const endNodes: number[][] = Array.from({ length: length + 1 }, () => []);
  endNodes[0]!.push(BOS);
  for (let k = 0; k < size; k++) endNodes[end[k]!]!.push(k);

  const heap: Hypothesis[] = [];
  const less = (a: Hypothesis, b: Hypothesis): boolean => a.fx < b.fx;
  const pushHeapFrom = (hole: number, value: Hypothesis): void => {
    let parent = (hole - 1) >> 1;
    while (hole > 0 && less(heap[parent]!, value)) {
      heap[hole] = heap[parent]!;
      hole = parent;
      parent = (hole - 1) >> 1;
    }
    heap[hole] = value;
  };
  const push = (h: Hypothesis): void => {
    heap.push(h);
    pushHeapFrom(heap.length - 1, h);
  };
  const pop = (): Hypothesis => {
    const top = heap[0]!;
    const last = heap.pop()!;
    const len = heap.length;
    if (len > 0) {
      // libstdc++ __adjust_heap: move the hole to a leaf along the larger children, then sift `last` up.
      let hole = 0;
      let child = 0;
      while (child < (len - 1) >> 1) {
        child = 2 * (child + 1);
        if (less(heap[child]!, heap[child - 1]!)) child--;
        heap[hole] = heap[child]!;
        hole = child;
      }
      if ((len & 1) === 0 && child === (len - 2) >> 1) {
        child = 2 * (child + 1);
        heap[hole] = heap[child - 1]!;
        hole = child - 1;
      }
      pushHeapFrom(hole, last);
    }
    return top;
  };

  const results: number[][] = [];
  push({ node: EOS, next: undefined, gx: 0, fx: 0 });
  while (heap.length > 0) {
    const top = pop();
    if (top.node === BOS) {
      const path: number[] = [];
      for (let h = top.next; h !== undefined && h.next !== undefined; h = h.next) path.push(h.node);
      results.push(path);
      if (results.length === 2) break;
      continue;
    }
    const pos = top.node === EOS ? length : begin[top.node]!;
    for (const l of endNodes[pos]!) {
      const s = l === BOS ? 0 : score[l]!;
      const bt = l === BOS ? 0 : backtrace[l]!;
      const gx = f32(s + top.gx);
      push({ node: l, next: top, gx, fx: f32(bt + top.gx) }); // h(lnode) + g(x): the exact A* priority
    }
  }
  return results;
}
