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
