import { describe, expect, it } from 'vitest';
import { ByteTrie } from '../src/trie/byte-trie.js';
import { PrefixMatcher } from '../src/trie/prefix-matcher.js';

const enc = new TextEncoder();

function randomKeys(n: number, seed: number): string[] {
  let s = seed;
  const rand = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const alphabet = 'abcdefghijklmnopqrstuvwxyz▁éß中😀';
  const chars = Array.from(alphabet);
  const keys = new Set<string>();
  while (keys.size < n) {
    const len = 1 + Math.floor(rand() * 10);
    let k = '';
    for (let i = 0; i < len; i++) k += chars[Math.floor(rand() * chars.length)];
    keys.add(k);
  }
  return [...keys];
}

describe('ByteTrie (double array)', () => {
  it('finds every key and nothing else (30k keys, like a real ALBERT vocabulary)', () => {
    const keys = randomKeys(30000, 7);
    const t0 = performance.now();
    const trie = ByteTrie.build(keys.map((k, i) => [enc.encode(k), i]));
    expect(performance.now() - t0).toBeLessThan(5000);
    const map = new Map(keys.map((k, i) => [k, i]));
    for (const [k, i] of map) {
      const b = enc.encode(k);
      expect(trie.get(b, 0, b.length)).toBe(i);
    }
    for (const k of randomKeys(3000, 99)) {
      const b = enc.encode(k);
      expect(trie.get(b, 0, b.length)).toBe(map.get(k) ?? -1);
    }
    expect(trie.maxKeyLength).toBe(Math.max(...keys.map((k) => enc.encode(k).length)));
  });

  it('prefix matcher returns the longest symbol, else one character', () => {
    const m = new PrefixMatcher(['ab', 'abcd', '€'].map((s) => enc.encode(s)));
    const b = enc.encode('abcde€x');
    expect(m.match(b, 0, b.length)).toEqual({ length: 4, found: true });
    expect(m.match(b, 1, b.length)).toEqual({ length: 1, found: false });
    expect(m.match(b, 5, b.length)).toEqual({ length: 3, found: true });
    expect(m.match(enc.encode('中'), 0, 3)).toEqual({ length: 3, found: false });
  });
});
