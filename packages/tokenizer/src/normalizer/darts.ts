import { TokenizerError } from '../errors.js';

/**
 * Read-only view of a darts-clone `DoubleArray` (the trie format inside sentencepiece's `precompiled_charsmap`).
 * Each unit is a little-endian uint32: bit 8 = has leaf, bits 0-7 (+ bit 31) = label, bits 10.. = offset
 * (scaled by 2^8 when bit 9 is set), and leaf units store a 31-bit value.
 */
export class DartsDoubleArray {
  private readonly units: Uint32Array;

  constructor(units: Uint32Array) {
    if (units.length === 0) throw new TokenizerError('precompiled_charsmap: empty double-array trie');
    this.units = units;
  }

  /**
   * Longest key that is a prefix of `key[start..end)`: returns `(length << 0)` in `out[0]` and the value in
   * `out[1]`, or length 0 when no key matches. Only the first 32 matches are considered, as in sentencepiece.
   */
  longestPrefix(key: Uint8Array, start: number, end: number, out: Int32Array): void {
    const units = this.units;
    const n = units.length;
    let unit = units[0]!;
    let nodePos = offsetOf(unit);
    let bestLen = 0;
    let bestValue = 0;
    let found = 0;
    for (let i = start; i < end; i++) {
      const c = key[i]!;
      nodePos ^= c;
      if (nodePos >= n) break;
      unit = units[nodePos]!;
      if ((unit & 0x800000ff) >>> 0 !== c) break;
      nodePos ^= offsetOf(unit);
      if (((unit >>> 8) & 1) === 1) {
        if (nodePos >= n) break;
        if (found < 32) {
          bestLen = i + 1 - start;
          bestValue = units[nodePos]! & 0x7fffffff;
        }
        found++;
      }
    }
    out[0] = bestLen;
    out[1] = bestValue;
  }

  /**
   * Value of the shortest key that is a prefix of `key[start..end)` (stopping at a NUL byte), or -1. This is the
   * lookup HuggingFace's `Precompiled` normalizer (spm_precompiled `transform`) uses.
   */
  shortestPrefixValue(key: Uint8Array, start: number, end: number): number {
    const units = this.units;
    const n = units.length;
    let nodePos = offsetOf(units[0]!);
    for (let i = start; i < end; i++) {
      const c = key[i]!;
      if (c === 0) return -1;
      nodePos ^= c;
      if (nodePos >= n) return -1;
      const unit = units[nodePos]!;
      if ((unit & 0x800000ff) >>> 0 !== c) return -1;
      nodePos ^= offsetOf(unit);
      if (((unit >>> 8) & 1) === 1) return nodePos < n ? units[nodePos]! & 0x7fffffff : -1;
    }
    return -1;
  }
}

function offsetOf(unit: number): number {
  return ((unit >>> 10) << ((unit & (1 << 9)) >>> 6)) >>> 0;
}
