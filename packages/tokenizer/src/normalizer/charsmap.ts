import { TokenizerError } from '../errors.js';
import { DartsDoubleArray } from './darts.js';

/**
 * A parsed `precompiled_charsmap`: a little-endian uint32 trie size, the darts-clone trie (keys are UTF-8 byte
 * sequences, values are offsets into the normalized-strings blob), then the NUL-terminated replacement strings.
 */
export class PrecompiledCharsMap {
  readonly trie: DartsDoubleArray;
  private readonly normalized: Uint8Array;
  private readonly cache = new Map<number, Uint8Array>();
  private readonly match = new Int32Array(2);

  constructor(blob: Uint8Array) {
    if (blob.length <= 4) {
      throw new TokenizerError(`precompiled_charsmap is broken: ${blob.length} bytes is too short`);
    }
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const trieSize = view.getUint32(0, true);
    if (trieSize >= blob.length || trieSize % 4 !== 0) {
      throw new TokenizerError(`precompiled_charsmap is broken: trie size ${trieSize} does not fit in ${blob.length} bytes`);
    }
    const unitBytes = blob.slice(4, 4 + trieSize);
    this.trie = new DartsDoubleArray(new Uint32Array(unitBytes.buffer, 0, trieSize / 4));
    if (!isLittleEndian()) {
      throw new TokenizerError('precompiled_charsmap: big-endian platforms are not supported');
    }
    this.normalized = blob.slice(4 + trieSize);
  }

  /** The replacement bytes stored at `offset` in the normalized-strings blob (up to the NUL). */
  replacement(offset: number): Uint8Array {
    let r = this.cache.get(offset);
    if (r === undefined) {
      const blob = this.normalized;
      if (offset >= blob.length) {
        throw new TokenizerError(`precompiled_charsmap is broken: normalized-string offset ${offset} is out of range`);
      }
      let end = offset;
      while (end < blob.length && blob[end] !== 0) end++;
      r = blob.subarray(offset, end);
      this.cache.set(offset, r);
    }
    return r;
  }

  /**
   * Longest rule matching a prefix of `bytes[start..end)`: its replacement and the number of input bytes it
   * consumes, or `undefined` when no rule applies.
   */
  lookup(bytes: Uint8Array, start: number, end: number): { length: number; replacement: Uint8Array } | undefined {
    this.trie.longestPrefix(bytes, start, end, this.match);
    if (this.match[0] === 0) return undefined;
    return { length: this.match[0]!, replacement: this.replacement(this.match[1]!) };
  }

  /** Same as {@link lookup} without allocation: returns the matched length (0 = none), replacement in `out[0]`. */
  lookupInto(bytes: Uint8Array, start: number, end: number, out: Uint8Array[]): number {
    this.trie.longestPrefix(bytes, start, end, this.match);
    const len = this.match[0]!;
    if (len !== 0) out[0] = this.replacement(this.match[1]!);
    return len;
  }
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
