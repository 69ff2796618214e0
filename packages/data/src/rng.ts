import { deriveSeed } from '@albert-ts/core';

// A small, portable, seeded PRNG (xoshiro128**), seeded through splitmix32 from core's `deriveSeed`. Pure 32-bit
// integer arithmetic, so the same seed gives the same stream on every machine and JS engine. Never Math.random.

/** Serialisable state of an {@link Rng}: four unsigned 32-bit words. */
export type RngState = [number, number, number, number];

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Validates a user seed: a non-negative safe integer. */
export function checkSeed(seed: number, field = 'seed'): number {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`${field} must be a non-negative safe integer, got ${String(seed)}`);
  }
  return seed;
}

/**
 * xoshiro128** generator. `float()` is a multiple of 2^-32 in [0, 1), `int(lo, hi)` is unbiased (rejection
 * sampling), so results do not depend on floating-point details of the platform.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds from a non-negative safe integer, optionally mixed with keys (see {@link deriveSeed}). */
  constructor(seed: number, ...keys: Array<number | string>) {
    const st = { s: deriveSeed(seed, ...keys) };
    this.a = splitmix32(st); this.b = splitmix32(st); this.c = splitmix32(st); this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Restores a generator from {@link Rng.state}. */
  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    [r.a, r.b, r.c, r.d] = state.map((x) => x >>> 0) as RngState;
    return r;
  }

  /** Current state (copy), for resuming exactly. */
  state(): RngState {
    return [this.a, this.b, this.c, this.d];
  }

  /** Next unsigned 32-bit integer. */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.u32() / 0x100000000;
  }

  /** Uniform integer in [lo, hi], both inclusive (like Python's `random.randint`). */
  int(lo: number, hi: number): number {
    const range = hi - lo + 1;
    if (!(range >= 1) || range > 0x100000000) throw new RangeError(`Rng.int: bad range [${lo}, ${hi}]`);
    if (range === 1) return lo;
    const limit = 0x100000000 - (0x100000000 % range);
    let x = this.u32();
    while (x >= limit) x = this.u32();
    return lo + (x % range);
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const t = xs[i]; xs[i] = xs[j]; xs[j] = t;
    }
    return xs;
  }

  /** Index drawn from unnormalised non-negative weights. */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    let u = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
