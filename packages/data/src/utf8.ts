import { DataError } from './errors.js';

/**
 * Streaming UTF-8 validator that knows the absolute byte offset of every byte it sees, so an invalid sequence is
 * reported as `file: invalid UTF-8 at byte N`. Rejects overlong forms, surrogates (U+D800..U+DFFF), code points
 * above U+10FFFF and truncated sequences (including one cut off by the end of the file).
 */
export class Utf8Validator {
  private need = 0; // continuation bytes still expected
  private lo = 0x80; // allowed range for the next continuation byte
  private hi = 0xbf;
  private seqStart = 0; // absolute offset where the current multi-byte sequence began
  private offset = 0; // absolute offset of the next byte

  constructor(private readonly source: string) {}

  /** Validates the next chunk; throws {@link DataError} at the first invalid byte. */
  push(bytes: Uint8Array): void {
    let need = this.need, lo = this.lo, hi = this.hi;
    const base = this.offset;
    const n = bytes.length;
    for (let i = 0; i < n; i++) {
      const b = bytes[i];
      if (need === 0) {
        if (b < 0x80) continue;
        this.seqStart = base + i;
        if (b >= 0xc2 && b <= 0xdf) { need = 1; lo = 0x80; hi = 0xbf; }
        else if (b === 0xe0) { need = 2; lo = 0xa0; hi = 0xbf; }
        else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) { need = 2; lo = 0x80; hi = 0xbf; }
        else if (b === 0xed) { need = 2; lo = 0x80; hi = 0x9f; }
        else if (b === 0xf0) { need = 3; lo = 0x90; hi = 0xbf; }
        else if (b >= 0xf1 && b <= 0xf3) { need = 3; lo = 0x80; hi = 0xbf; }
        else if (b === 0xf4) { need = 3; lo = 0x80; hi = 0x8f; }
        else this.fail(base + i, b);
      } else {
        if (b < lo || b > hi) this.fail(this.seqStart, b, base + i);
        need--; lo = 0x80; hi = 0xbf;
      }
    }
    this.need = need; this.lo = lo; this.hi = hi;
    this.offset = base + n;
  }

  /** Call at end of input: a sequence cut off by the end of the file is an error. */
  end(): void {
    if (this.need !== 0) {
      throw new DataError(`${this.source}: invalid UTF-8 at byte ${this.seqStart} (sequence truncated by end of file)`);
    }
  }

  private fail(at: number, byte: number, badAt?: number): never {
    const where = badAt === undefined ? '' : ` (bad continuation 0x${byte.toString(16).padStart(2, '0')} at byte ${badAt})`;
    const lead = badAt === undefined ? ` (byte 0x${byte.toString(16).padStart(2, '0')})` : '';
    throw new DataError(`${this.source}: invalid UTF-8 at byte ${at}${lead}${where}`);
  }
}
