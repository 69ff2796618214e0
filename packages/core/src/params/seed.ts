/**
 * Deterministic stream of integer seeds (splitmix32-style), used for initializers and dropout masks so that a run
 * is reproducible from one seed.
 */
export class SeedStream {
  private state: number;

  constructor(seed: number) {
    this.state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** Next seed, an integer in [0, 2^31). */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 1;
  }
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units; used to derive sub-seeds from names. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(h: number, v: number): number {
  // murmur3-style combine of one 32-bit word into a running hash
  let k = Math.imul(v >>> 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) >>> 0;
}

/**
 * Combines a seed and any number of integer or string keys into one unsigned 32-bit seed (order-sensitive,
 * murmur3-style mixing; integers up to 2^53 use both words). The one seed hasher of albert-ts: data streams
 * (`Rng(seed, 'doc', pass, i)`) and per-step dropout seeds (`deriveSeed(seed, SEED_KEYS.dropout, step, micro)`)
 * derive from it, so nothing but the step is needed to replay a run.
 */
export function deriveSeed(seed: number, ...keys: Array<number | string>): number {
  let h = mix(0x2545f491, seed >>> 0);
  h = mix(h, Math.floor(seed / 0x100000000) >>> 0);
  for (const k of keys) {
    if (typeof k === 'string') h = mix(h, hashString(k));
    else { h = mix(h, k >>> 0); h = mix(h, Math.floor(k / 0x100000000) >>> 0); }
  }
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}
