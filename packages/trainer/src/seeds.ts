/**
 * Per-step seeds derived statelessly from the run seed, so that a resumed run draws exactly the dropout masks an
 * uninterrupted run would (nothing to save but the step). murmur3-style mixing of 32-bit words.
 */
export function stepSeed(seed: number, ...keys: number[]): number {
  let h = 0x9747b28c ^ (seed >>> 0);
  const words = [Math.floor(seed / 0x100000000) >>> 0, ...keys.flatMap((k) => [k >>> 0, Math.floor(k / 0x100000000) >>> 0])];
  for (const w of words) {
    let k = Math.imul(w, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return (h >>> 1); // [0, 2^31): a valid tfjs seed
}

/** Seed namespaces so that dropout, evaluation data and fine-tuning shuffles never share a stream. */
export const SEED_KEYS = { dropout: 1, evalData: 2, shuffle: 3, init: 4 } as const;
