import { WS, compareCodePoints } from './corpus.js';

/**
 * Splits a normalized sentence before every U+2581 (`SplitIntoWords` with whitespace as prefix): `▁a▁bc` gives
 * `▁a`, `▁bc`; leading text without U+2581 is a word of its own.
 */
export function splitIntoWords(sentence: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 1; i < sentence.length; i++) {
    if (sentence.charCodeAt(i) === WS) {
      out.push(sentence.slice(start, i));
      start = i;
    }
  }
  if (sentence.length > 0) out.push(sentence.slice(start));
  return out;
}

/** Distinct words with their counts, most frequent first, ties in code point order (SentencePiece's `Sorted`). */
export function countWords(sentences: readonly string[]): { words: string[]; counts: number[] } {
  const map = new Map<string, number>();
  for (const s of sentences) for (const w of splitIntoWords(s)) map.set(w, (map.get(w) ?? 0) + 1);
  const entries = [...map.entries()].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
  return { words: entries.map((e) => e[0]), counts: entries.map((e) => e[1]) };
}
