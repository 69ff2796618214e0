/**
 * A static double-array trie over byte strings (keys are UTF-8 bytes), mapping each key to a non-negative value.
 * Transition from state `s` on byte `c`: `t = base[s] + c`, valid when `check[t] === s`.
 */
export class ByteTrie {
  readonly base: Int32Array;
  readonly check: Int32Array;
  /** Value of the key ending at a state, or -1. */
  readonly value: Int32Array;
  /** Length in bytes of the longest key. */
  readonly maxKeyLength: number;

  private constructor(base: Int32Array, check: Int32Array, value: Int32Array, maxKeyLength: number) {
    this.base = base;
    this.check = check;
    this.value = value;
    this.maxKeyLength = maxKeyLength;
  }

  /** Builds the trie. Keys must be distinct and non-empty; the first occurrence wins for duplicates. */
  static build(entries: ReadonlyArray<readonly [Uint8Array, number]>): ByteTrie {
    const sorted = entries.filter((e) => e[0].length > 0).sort((a, b) => compareBytes(a[0], b[0]));
    const b = new Builder();
    let maxKeyLength = 0;
    // Work list: state, [lo, hi) range of sorted keys sharing the prefix, depth.
    const stack: number[] = [0, 0, sorted.length, 0];
    const labels: number[] = [];
    const bounds: number[] = [];
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const hi = stack.pop()!;
      const lo = stack.pop()!;
      const state = stack.pop()!;
      let i = lo;
      // A key that ends here (sorted first because it is the shortest with this prefix).
      while (i < hi && sorted[i]![0].length === depth) {
        if (b.value[state] === -1) b.value[state] = sorted[i]![1];
        maxKeyLength = Math.max(maxKeyLength, depth);
        i++;
      }
      if (i >= hi) continue;
      labels.length = 0;
      bounds.length = 0;
      while (i < hi) {
        const c = sorted[i]![0][depth]!;
        bounds.push(i);
        while (i < hi && sorted[i]![0][depth] === c) i++;
        labels.push(c);
      }
      bounds.push(hi);
      const base = b.place(state, labels);
      for (let k = labels.length - 1; k >= 0; k--) stack.push(base + labels[k]!, bounds[k]!, bounds[k + 1]!, depth + 1);
    }
    const size = b.used + 257;
    b.ensure(size);
    return new ByteTrie(b.base.slice(0, size), b.check.slice(0, size), b.value.slice(0, size), maxKeyLength);
  }

  /** Value of exactly `bytes[start..end)`, or -1. */
  get(bytes: Uint8Array, start: number, end: number): number {
    const { base, check } = this;
    let s = 0;
    for (let i = start; i < end; i++) {
      const t = base[s]! + bytes[i]!;
      if (check[t] !== s) return -1;
      s = t;
    }
    return this.value[s]!;
  }
}

/** Double-array construction state. Free slots are found with a "next free slot" union-find. */
class Builder {
  base: Int32Array = new Int32Array(1024);
  check: Int32Array = new Int32Array(1024).fill(-1);
  value: Int32Array = new Int32Array(1024).fill(-1);
  /** `nextFree[i] === i` when slot i is free; follow the links to the next free slot otherwise. */
  nextFree: Int32Array = Int32Array.from({ length: 1024 }, (_, i) => i);
  /** One past the highest used slot. */
  used = 1;

  constructor() {
    this.check[0] = -2; // root
    this.nextFree[0] = 1;
  }

  ensure(n: number): void {
    const cap = this.base.length;
    if (n < cap) return;
    let next = cap;
    while (next <= n) next *= 2;
    const grow = (a: Int32Array, fill: number): Int32Array => {
      const out = new Int32Array(next).fill(fill);
      out.set(a);
      return out;
    };
    this.base = grow(this.base, 0);
    this.check = grow(this.check, -1);
    this.value = grow(this.value, -1);
    const nf = new Int32Array(next);
    nf.set(this.nextFree);
    for (let i = cap; i < next; i++) nf[i] = i;
    this.nextFree = nf;
  }

  private findFree(i: number): number {
    let r = i;
    for (;;) {
      this.ensure(r + 1);
      const n = this.nextFree[r]!;
      if (n === r) break;
      r = n;
    }
    // Path compression.
    const links = this.nextFree;
    while (links[i] !== r) {
      const n = links[i]!;
      links[i] = r;
      i = n;
    }
    return r;
  }

  /** Chooses a base for `state` whose child slots `base + label` are all free, claims them, returns the base. */
  place(state: number, labels: readonly number[]): number {
    const first = labels[0]!;
    let p = this.findFree(first + 1);
    for (;;) {
      const b = p - first;
      this.ensure(b + 256);
      let ok = true;
      for (let k = 1; k < labels.length; k++) {
        if (this.check[b + labels[k]!] !== -1) {
          ok = false;
          break;
        }
      }
      if (ok) {
        this.base[state] = b;
        for (const c of labels) {
          const t = b + c;
          this.check[t] = state;
          this.nextFree[t] = t + 1;
          if (t + 1 > this.used) this.used = t + 1;
        }
        return b;
      }
      p = this.findFree(p + 1);
    }
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}
