/**
 * A segmentation lattice over one string of `length` symbols: nodes are pieces `[begin, begin + len)` with an id
 * and a log-probability score. Nodes must be added in order of `begin` (any order within one `begin`). Scratch
 * arrays grow as needed and are reused between sentences, so the E-step allocates nothing per sentence.
 *
 * Arithmetic is float32 where SentencePiece uses `float` (scores, forward/backward and Viterbi accumulators, and
 * the caller's expected counts): float32 accumulation of expected counts drops contributions below half an ulp of
 * large counts, which measurably shapes which pieces survive pruning, so matching it keeps the vocabulary close to
 * `spm_train`'s.
 */
export class Lattice {
  length = 0;
  size = 0;
  begin = new Int32Array(256);
  end = new Int32Array(256);
  id = new Int32Array(256);
  score = new Float32Array(256);
  private alpha = new Float32Array(64);
  private beta = new Float32Array(64);
  private best = new Float32Array(64);
  private back = new Int32Array(64);

  /** Starts a new lattice over `length` symbols. */
  reset(length: number): void {
    this.length = length;
    this.size = 0;
    if (this.alpha.length < length + 1) {
      const n = 2 * (length + 1);
      this.alpha = new Float32Array(n);
      this.beta = new Float32Array(n);
      this.best = new Float32Array(n);
      this.back = new Int32Array(n);
    }
  }

  /** Adds a node; callers add nodes by non-decreasing `begin`. */
  add(begin: number, len: number, id: number, score: number): void {
    if (this.size === this.begin.length) this.grow();
    const k = this.size++;
    this.begin[k] = begin;
    this.end[k] = begin + len;
    this.id[k] = id;
    this.score[k] = score;
  }

  private grow(): void {
    const n = this.begin.length * 2;
    const b = new Int32Array(n); b.set(this.begin); this.begin = b;
    const e = new Int32Array(n); e.set(this.end); this.end = e;
    const i = new Int32Array(n); i.set(this.id); this.id = i;
    const s = new Float32Array(n); s.set(this.score); this.score = s;
  }

  /**
   * Forward-backward: adds `freq × P(node | sentence)` to `expected[id]` for every node with `id >= 0` and returns
   * `freq × log Z`, the weighted log marginal likelihood of the sentence (SentencePiece's `Lattice::PopulateMarginal`, with the
   * same log-sum-exp that ignores terms more than 50 nats below the larger one).
   */
  populateMarginal(freq: number, expected: Float32Array): number {
    const f32 = Math.fround;
    const { length, size, begin, end, score, id } = this;
    const alpha = this.alpha;
    const beta = this.beta;
    alpha.fill(NaN, 0, length + 1);
    beta.fill(NaN, 0, length + 1);
    alpha[0] = 0;
    for (let k = 0; k < size; k++) {
      const e = end[k]!;
      const v = f32(alpha[begin[k]!]! + score[k]!);
      alpha[e] = Number.isNaN(alpha[e]!) ? v : logSumExp(alpha[e]!, v);
    }
    beta[length] = 0;
    for (let k = size - 1; k >= 0; k--) {
      const b = begin[k]!;
      const v = f32(beta[end[k]!]! + score[k]!);
      beta[b] = Number.isNaN(beta[b]!) ? v : logSumExp(beta[b]!, v);
    }
    const z = alpha[length]!;
    for (let k = 0; k < size; k++) {
      const i = id[k]!;
      if (i >= 0) expected[i]! += freq * Math.exp(f32(f32(f32(alpha[begin[k]!]! + score[k]!) + beta[end[k]!]!) - z));
    }
    return freq * z;
  }

  /**
   * Best segmentation; writes its node indices (into this lattice) to `out` and returns how many, or -1 when no
   * path covers the string. Ties keep the node that begins first, as SentencePiece's `Lattice::Viterbi` does.
   */
  viterbi(out: number[]): number {
    const { length, size, begin, end, score } = this;
    const best = this.best;
    const back = this.back;
    best.fill(NaN, 0, length + 1);
    best[0] = 0;
    for (let k = 0; k < size; k++) {
      const b = begin[k]!;
      const from = best[b]!;
      if (Number.isNaN(from)) continue;
      const e = end[k]!;
      const v = Math.fround(from + score[k]!);
      if (Number.isNaN(best[e]!) || v > best[e]!) {
        best[e] = v;
        back[e] = k;
      }
    }
    if (Number.isNaN(best[length]!)) return -1;
    out.length = 0;
    for (let pos = length; pos > 0; ) {
      const k = back[pos]!;
      out.push(k);
      pos = begin[k]!;
    }
    out.reverse();
    return out.length;
  }
}

/** `log(exp(x) + exp(y))`, returning the larger term when the other is more than 50 nats smaller. */
export function logSumExp(x: number, y: number): number {
  const vmin = Math.min(x, y);
  const vmax = Math.max(x, y);
  if (vmax > vmin + 50) return vmax;
  return vmax + Math.log(Math.exp(vmin - vmax) + 1);
}

/** Digamma function, the asymptotic series SentencePiece's trainer uses. */
export function digamma(x: number): number {
  let result = 0;
  for (; x < 7; ++x) result -= 1 / x;
  x -= 1 / 2;
  const xx = 1 / x;
  const xx2 = xx * xx;
  const xx4 = xx2 * xx2;
  result += Math.log(x) + (1 / 24) * xx2 - (7 / 960) * xx4 + (31 / 8064) * xx4 * xx2 - (127 / 30720) * xx4 * xx4;
  return result;
}
