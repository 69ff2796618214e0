/**
 * A transpose reduced to "swap two adjacent axis groups": [batch, rows, cols, inner] -> [batch, cols, rows, inner].
 * Any permutation that, after dropping size-1 axes and merging axes that stay adjacent, has one of the forms
 * [1,0], [0,2,1], [1,0,2], [0,2,1,3] (or the identity) is one.
 */
export interface BlockTranspose {
  batch: number;
  rows: number;
  cols: number;
  inner: number;
}

/** Plans `perm` on `shape` as a block transpose, or returns null when it is not one. */
export function planBlockTranspose(shape: number[], perm: number[]): BlockTranspose | null {
  // Drop size-1 axes (they do not move memory).
  const keep = shape.map((d, i) => (d !== 1 ? i : -1)).filter((i) => i >= 0);
  const rank = new Map(keep.map((axis, i) => [axis, i]));
  const s = keep.map((a) => shape[a]!);
  const p = perm.filter((a) => rank.has(a)).map((a) => rank.get(a)!);
  if (p.length === 0) return { batch: 1, rows: 1, cols: 1, inner: 1 };
  // Merge runs of input axes that stay consecutive in the output.
  const groups: number[][] = [];
  for (const a of p) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[last.length - 1]! + 1 === a) last.push(a);
    else groups.push([a]);
  }
  const byInput = [...groups].sort((x, y) => x[0]! - y[0]!);
  const size = (g: number[]) => g.reduce((acc, a) => acc * s[a]!, 1);
  const sizes = byInput.map(size);
  const q = groups.map((g) => byInput.indexOf(g));
  const key = q.join(',');
  if (key === '0') return { batch: 1, rows: 1, cols: 1, inner: sizes[0]! };
  if (key === '1,0') return { batch: 1, rows: sizes[0]!, cols: sizes[1]!, inner: 1 };
  if (key === '0,2,1') return { batch: sizes[0]!, rows: sizes[1]!, cols: sizes[2]!, inner: 1 };
  if (key === '1,0,2') return { batch: 1, rows: sizes[0]!, cols: sizes[1]!, inner: sizes[2]! };
  if (key === '0,2,1,3') return { batch: sizes[0]!, rows: sizes[1]!, cols: sizes[2]!, inner: sizes[3]! };
  return null;
}
