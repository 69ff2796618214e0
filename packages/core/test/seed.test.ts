import { describe, expect, it } from 'vitest';
import { SeedStream, deriveSeed, hashString } from '../src/index.js';

describe('seeds', () => {
  it('hashString is FNV-1a 32 and deriveSeed depends on every key', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c); // published FNV-1a test vector
    expect(deriveSeed(1, 'doc', 0, 1)).not.toBe(deriveSeed(1, 'doc', 1, 0));
    expect(deriveSeed(2 ** 40)).not.toBe(deriveSeed(0));
    expect(deriveSeed(5, 1, 2)).toBe(deriveSeed(5, 1, 2));
    const s = deriveSeed(12345, 1, 7, 0);
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  it('SeedStream yields tfjs-valid seeds in [0, 2^31), reproducibly', () => {
    const a = new SeedStream(3);
    const b = new SeedStream(3);
    for (let i = 0; i < 100; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x >= 0 && x < 2 ** 31).toBe(true);
    }
  });
});
