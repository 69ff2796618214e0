/** UTF-8 helpers shared by the normalizer and the models. SentencePiece works on UTF-8 bytes throughout. */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** UTF-8 bytes of a JS string. Unpaired surrogates become U+FFFD (EF BF BD), as in the WHATWG encoder. */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8 bytes; malformed sequences become U+FFFD. A leading U+FEFF is kept (it is text here). */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Byte length of the UTF-8 character starting with `lead`, as sentencepiece's `OneCharLen` (1 for bad lead bytes). */
export function oneCharLen(lead: number): number {
  return lead < 0xc0 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/** The UTF-8 bytes of U+FFFD. */
export const REPLACEMENT_CHARACTER = new Uint8Array([0xef, 0xbf, 0xbd]);

const isTrail = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;
const isValidCodepoint = (c: number): boolean => c < 0xd800 || (c >= 0xe000 && c <= 0x10ffff);

/**
 * sentencepiece's `IsValidDecodeUTF8`: the length of the well-formed character at `pos`, or 0 when the bytes there
 * are malformed (overlong, surrogate, truncated, stray continuation byte).
 */
export function validCharLen(bytes: Uint8Array, pos: number, end: number): number {
  const b0 = bytes[pos]!;
  const len = end - pos;
  if (b0 < 0x80) return 1;
  if (len >= 2 && (b0 & 0xe0) === 0xc0) {
    const cp = ((b0 & 0x1f) << 6) | (bytes[pos + 1]! & 0x3f);
    if (isTrail(bytes[pos + 1]) && cp >= 0x80 && isValidCodepoint(cp)) return 2;
  } else if (len >= 3 && (b0 & 0xf0) === 0xe0) {
    const cp = ((b0 & 0x0f) << 12) | ((bytes[pos + 1]! & 0x3f) << 6) | (bytes[pos + 2]! & 0x3f);
    if (isTrail(bytes[pos + 1]) && isTrail(bytes[pos + 2]) && cp >= 0x800 && isValidCodepoint(cp)) return 3;
  } else if (len >= 4 && (b0 & 0xf8) === 0xf0) {
    const cp = ((b0 & 0x07) << 18) | ((bytes[pos + 1]! & 0x3f) << 12) | ((bytes[pos + 2]! & 0x3f) << 6) |
      (bytes[pos + 3]! & 0x3f);
    if (isTrail(bytes[pos + 1]) && isTrail(bytes[pos + 2]) && isTrail(bytes[pos + 3]) && cp >= 0x10000 &&
      isValidCodepoint(cp)) return 4;
  }
  return 0;
}

/** A growable byte buffer (amortised doubling). */
export class ByteBuffer {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 64) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
  }

  private grow(extra: number): void {
    let cap = this.bytes.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  push(b: number): void {
    if (this.length === this.bytes.length) this.grow(1);
    this.bytes[this.length++] = b;
  }

  append(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    if (this.length + n > this.bytes.length) this.grow(n);
    if (n < 8) {
      for (let i = start; i < end; i++) this.bytes[this.length++] = src[i]!;
    } else {
      this.bytes.set(src.subarray(start, end), this.length);
      this.length += n;
    }
  }

  /** A view of the content (shares memory). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}
