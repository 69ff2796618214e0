/**
 * A string that remembers where each of its UTF-16 units came from in an original text, so that a text
 * transformation (lower-casing, whitespace cleanup, accent stripping) keeps character offsets. Unit `i` of `text`
 * came from the original range `[starts[i], ends[i])`.
 */
export interface AlignedText {
  readonly text: string;
  /** False when offsets are not wanted: `starts`/`ends` are then empty and every operation only edits `text`. */
  readonly tracked: boolean;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/** `text` without offsets (the fast path when nobody asks for them). */
export function untracked(text: string): AlignedText {
  return { text, tracked: false, starts: [], ends: [] };
}

/** `text` aligned with itself, each unit from its own position (a surrogate pair maps to the whole pair). */
export function alignedOf(text: string): AlignedText {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const pair = isHighSurrogate(text.charCodeAt(i)) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1));
    const end = i + (pair ? 2 : 1);
    starts.push(i);
    ends.push(end);
    if (pair) {
      starts.push(i);
      ends.push(end);
      i++;
    }
  }
  return { text, tracked: true, starts, ends };
}

/** Collects output pieces, each tagged with the original range it came from. */
export class AlignedBuilder {
  private text = '';
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(private readonly tracked: boolean) {}

  /** Appends `out`, which came from original units `[start, end)`. */
  push(out: string, start: number, end: number): void {
    this.text += out;
    if (!this.tracked) return;
    for (let k = 0; k < out.length; k++) {
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  /** Appends units `[from, to)` of `a` unchanged. */
  copy(a: AlignedText, from: number, to: number): void {
    this.text += a.text.slice(from, to);
    if (!this.tracked) return;
    for (let i = from; i < to; i++) {
      this.starts.push(a.starts[i]!);
      this.ends.push(a.ends[i]!);
    }
  }

  build(): AlignedText {
    return { text: this.text, tracked: this.tracked, starts: this.starts, ends: this.ends };
  }
}

/**
 * Applies `f` to every code point of `a`; the output of a code point inherits its original range. Untracked
 * text takes `whole(text)` instead when given (a faster whole-string form of the same mapping).
 */
export function mapCodePoints(a: AlignedText, f: (ch: string) => string, whole?: (text: string) => string): AlignedText {
  if (!a.tracked && whole !== undefined) return untracked(whole(a.text));
  const b = new AlignedBuilder(a.tracked);
  forEachCodePoint(a, (ch, from, to) => b.push(f(ch), a.tracked ? a.starts[from]! : 0, a.tracked ? a.ends[to - 1]! : 0));
  return b.build();
}

/** Calls `f(ch, from, to)` for each code point of `a`, with its unit range `[from, to)` in `a`. */
export function forEachCodePoint(a: AlignedText, f: (ch: string, from: number, to: number) => void): void {
  const { text } = a;
  for (let i = 0; i < text.length; i++) {
    const pair = isHighSurrogate(text.charCodeAt(i)) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1));
    const n = pair ? 2 : 1;
    f(text.slice(i, i + n), i, i + n);
    i += n - 1;
  }
}

/** The sub-range `[from, to)` of `a`. */
export function sliceAligned(a: AlignedText, from: number, to: number): AlignedText {
  if (!a.tracked) return untracked(a.text.slice(from, to));
  return { text: a.text.slice(from, to), tracked: true, starts: a.starts.slice(from, to), ends: a.ends.slice(from, to) };
}

/** Original range `[start, end)` covered by units `[from, to)` of `a` (an empty range maps to a point). */
export function originalRange(a: AlignedText, from: number, to: number): [number, number] {
  if (!a.tracked || a.text.length === 0) return [0, 0];
  if (to <= from) {
    const p = from < a.text.length ? a.starts[from]! : a.ends[a.text.length - 1]!;
    return [p, p];
  }
  let start = a.starts[from]!;
  let end = a.ends[to - 1]!;
  for (let i = from; i < to; i++) {
    start = Math.min(start, a.starts[i]!);
    end = Math.max(end, a.ends[i]!);
  }
  return [start, end];
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
