/**
 * Suffix array of an integer string, sorted on the first `depth` symbols only (prefix doubling with radix sort,
 * stopping once ranks cover `depth` symbols), plus the LCP array capped at `depth`. Enough to enumerate every
 * branching substring of length < `depth` exactly, in O(n log depth) time and O(n) memory.
 */
export interface CappedSuffixArray {
  /** Suffix start positions, sorted by their first `depth` symbols. */
  readonly sa: Int32Array;
  /** `lcp[i]` = common prefix length of suffixes `sa[i-1]` and `sa[i]`, capped at `depth`; `lcp[0] = 0`. */
  readonly lcp: Int32Array;
}

/** Builds a {@link CappedSuffixArray} of `text` (any int32 symbols). */
export function cappedSuffixArray(text: Int32Array, depth: number): CappedSuffixArray {
  const n = text.length;
  const sa = new Int32Array(n);
  const lcp = new Int32Array(n);
  if (n === 0) return { sa, lcp };

  // Dense initial ranks 1..m of the symbols (0 is reserved for "past the end").
  const symbols = Int32Array.from(new Set(text)).sort();
  const symRank = new Map<number, number>();
  symbols.forEach((s, i) => symRank.set(s, i + 1));
  let rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[i] = symRank.get(text[i]!)!;
  let maxRank = symbols.length;

  let tmp = new Int32Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) sa[i] = i;
  // Sort by first symbol.
  countingSort(sa, order, (i) => rank[i]!, maxRank);
  sa.set(order);

  for (let k = 1; k < depth && maxRank < n; k *= 2) {
    const r = rank;
    const second = (i: number): number => (i + k < n ? r[i + k]! : 0);
    // LSD radix: by the second key, then stably by the first.
    countingSort(sa, order, second, maxRank);
    countingSort(order, sa, (i) => r[i]!, maxRank);
    // Re-rank.
    tmp[sa[0]!] = 1;
    let cur = 1;
    for (let j = 1; j < n; j++) {
      const a = sa[j - 1]!;
      const b = sa[j]!;
      if (r[a] !== r[b] || second(a) !== second(b)) cur++;
      tmp[b] = cur;
    }
    [rank, tmp] = [tmp, rank];
    maxRank = cur;
  }

  for (let j = 1; j < n; j++) {
    const a = sa[j - 1]!;
    const b = sa[j]!;
    let h = 0;
    while (h < depth && a + h < n && b + h < n && text[a + h] === text[b + h]) h++;
    lcp[j] = h;
  }
  return { sa, lcp };
}

/** Stable counting sort of `src` into `dst` by `key(x)` in [0, maxKey]. */
function countingSort(src: Int32Array, dst: Int32Array, key: (x: number) => number, maxKey: number): void {
  const count = new Int32Array(maxKey + 2);
  for (let j = 0; j < src.length; j++) count[key(src[j]!) + 1]!++;
  for (let v = 1; v < count.length; v++) count[v]! += count[v - 1]!;
  for (let j = 0; j < src.length; j++) {
    const x = src[j]!;
    dst[count[key(x)]!++] = x;
  }
}

/**
 * Calls `visit(lb, rb, depth)` for every internal node of the suffix tree (an LCP interval `[lb, rb)` of at least
 * two suffixes whose common prefix has length `depth`), as esaxx enumerates them. Depths are exact below the cap.
 */
export function forEachLcpInterval(
  { lcp }: CappedSuffixArray,
  visit: (lb: number, rb: number, depth: number) => void,
): void {
  const n = lcp.length;
  const stackLb: number[] = [0];
  const stackDepth: number[] = [0];
  for (let i = 1; i <= n; i++) {
    const h = i < n ? lcp[i]! : 0;
    let lb = i - 1;
    while (h < stackDepth[stackDepth.length - 1]!) {
      lb = stackLb.pop()!;
      const d = stackDepth.pop()!;
      visit(lb, i, d);
    }
    if (h > stackDepth[stackDepth.length - 1]!) {
      stackLb.push(lb);
      stackDepth.push(h);
    }
  }
  // The root interval (depth 0) is never a candidate.
}
