import { oneCharLen } from '../utf8.js';
import { ByteTrie } from './byte-trie.js';

/**
 * sentencepiece's `PrefixMatcher`: finds the longest user-defined symbol at a position. Without a match it
 * advances by one UTF-8 character.
 */
export class PrefixMatcher {
  private readonly trie: ByteTrie | undefined;

  constructor(symbols: readonly Uint8Array[]) {
    this.trie = symbols.length === 0 ? undefined : ByteTrie.build(symbols.map((s, i) => [s, i] as const));
  }

  /** Longest matched length at `start` (> 0 when `found`), or the next character's length otherwise. */
  match(bytes: Uint8Array, start: number, end: number): { length: number; found: boolean } {
    const len = this.matchLength(bytes, start, end);
    if (len > 0) return { length: len, found: true };
    return { length: Math.min(end - start, oneCharLen(bytes[start]!)), found: false };
  }

  /** Longest matched symbol length at `start`, or 0. */
  matchLength(bytes: Uint8Array, start: number, end: number): number {
    const trie = this.trie;
    if (trie === undefined) return 0;
    const { base, check, value } = trie;
    let s = 0;
    let best = 0;
    for (let i = start; i < end; i++) {
      const t = base[s]! + bytes[i]!;
      if (check[t] !== s) break;
      s = t;
      if (value[s]! >= 0) best = i + 1 - start;
    }
    return best;
  }
}
