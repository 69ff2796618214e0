import { REPLACEMENT_CHARACTER, ByteBuffer, validCharLen } from '../utf8.js';
import type { PrefixMatcher } from '../trie/prefix-matcher.js';
import { PrecompiledCharsMap } from './charsmap.js';

/** The normalizer flags of a `NormalizerSpec`, with sentencepiece's defaults applied. */
export interface NormalizerOptions {
  /** The `precompiled_charsmap` rules; empty or absent means identity. */
  precompiledCharsmap?: Uint8Array;
  addDummyPrefix: boolean;
  removeExtraWhitespaces: boolean;
  escapeWhitespaces: boolean;
  /** From the TrainerSpec: the dummy whitespace goes at the end instead of the start. */
  treatWhitespaceAsSuffix?: boolean;
}

/** Result of {@link Normalizer.normalize}: normalized UTF-8 bytes and, optionally, the alignment. */
export interface Normalized {
  bytes: Uint8Array;
  /** `normToOrig[i]` = byte offset in the input of normalized byte `i`; one extra entry for the end. */
  normToOrig?: Int32Array;
}

const SPACE = 0x20;
const META = new Uint8Array([0xe2, 0x96, 0x81]); // U+2581 ▁

/**
 * sentencepiece's `Normalizer`: applies the model's precompiled character map (longest match), removes extra
 * whitespace, adds the dummy prefix and escapes spaces as U+2581. User-defined symbols (via the prefix matcher)
 * are copied unchanged. Malformed UTF-8 becomes U+FFFD, one input byte at a time.
 */
export class Normalizer {
  private readonly charsMap: PrecompiledCharsMap | undefined;
  private readonly options: NormalizerOptions;
  private readonly matcher: PrefixMatcher | undefined;
  private readonly scratch: Uint8Array[] = [REPLACEMENT_CHARACTER];

  constructor(options: NormalizerOptions, matcher?: PrefixMatcher) {
    this.options = options;
    this.matcher = matcher;
    const blob = options.precompiledCharsmap;
    this.charsMap = blob !== undefined && blob.length > 0 ? new PrecompiledCharsMap(blob) : undefined;
  }

  /**
   * `NormalizePrefix`: normalizes the longest rule at `pos`. Returns the number of input bytes consumed; the
   * output is `input[pos..pos+consumed)` itself when `out` is left `undefined` by this call, else `out[0]`.
   */
  private prefix(input: Uint8Array, pos: number, end: number, out: (Uint8Array | undefined)[]): number {
    if (this.matcher !== undefined) {
      const m = this.matcher.matchLength(input, pos, end);
      if (m > 0) {
        out[0] = undefined;
        return m;
      }
    }
    if (this.charsMap !== undefined) {
      const len = this.charsMap.lookupInto(input, pos, end, this.scratch);
      if (len > 0) {
        out[0] = this.scratch[0];
        return len;
      }
    }
    const len = validCharLen(input, pos, end);
    if (len === 0) {
      out[0] = REPLACEMENT_CHARACTER;
      return 1;
    }
    out[0] = undefined;
    return len;
  }

  /** Normalizes UTF-8 `input`. Set `withAlignment` to also get the normalized-to-original byte offsets. */
  normalize(input: Uint8Array, withAlignment = false): Normalized {
    const { addDummyPrefix, removeExtraWhitespaces, escapeWhitespaces } = this.options;
    const suffix = this.options.treatWhitespaceAsSuffix === true;
    const end = input.length;
    if (end === 0) return { bytes: new Uint8Array(0), normToOrig: withAlignment ? new Int32Array([0]) : undefined };
    const out: (Uint8Array | undefined)[] = [undefined];
    let pos = 0;
    let consumed = 0;
    if (removeExtraWhitespaces) {
      while (pos < end) {
        const n = this.prefix(input, pos, end, out);
        const isSpace = out[0] === undefined ? n === 1 && input[pos] === SPACE : out[0].length === 1 && out[0][0] === SPACE;
        if (!isSpace) break;
        pos += n;
        consumed += n;
      }
    }
    if (pos >= end) return { bytes: new Uint8Array(0), normToOrig: withAlignment ? new Int32Array([0]) : undefined };

    const buf = new ByteBuffer((end - pos) * 3 + 4);
    const align: number[] | undefined = withAlignment ? [] : undefined;
    const addWs = (): void => {
      if (escapeWhitespaces) {
        buf.append(META);
        if (align) align.push(consumed, consumed, consumed);
      } else {
        buf.push(SPACE);
        if (align) align.push(consumed);
      }
    };
    if (!suffix && addDummyPrefix) addWs();

    let isPrevSpace = removeExtraWhitespaces;
    while (pos < end) {
      const n = this.prefix(input, pos, end, out);
      let src: Uint8Array;
      let s: number;
      let e: number;
      if (out[0] === undefined) {
        src = input;
        s = pos;
        e = pos + n;
      } else {
        src = out[0];
        s = 0;
        e = src.length;
      }
      if (isPrevSpace) {
        while (s < e && src[s] === SPACE) s++;
      }
      if (s < e) {
        for (let k = s; k < e; k++) {
          const b = src[k]!;
          if (escapeWhitespaces && b === SPACE) {
            buf.append(META);
            if (align) align.push(consumed, consumed, consumed);
          } else {
            buf.push(b);
            if (align) align.push(consumed);
          }
        }
        isPrevSpace = src[e - 1] === SPACE;
      }
      consumed += n;
      pos += n;
      if (!removeExtraWhitespaces) isPrevSpace = false;
    }

    if (removeExtraWhitespaces) {
      const b = buf.bytes;
      if (escapeWhitespaces) {
        while (buf.length >= 3 && b[buf.length - 3] === 0xe2 && b[buf.length - 2] === 0x96 && b[buf.length - 1] === 0x81) {
          buf.length -= 3;
          if (align) {
            consumed = align[buf.length]!;
            align.length = buf.length;
          }
        }
      } else {
        while (buf.length >= 1 && b[buf.length - 1] === SPACE) {
          buf.length -= 1;
          if (align) {
            consumed = align[buf.length]!;
            align.length = buf.length;
          }
        }
      }
    }
    if (suffix && addDummyPrefix) addWs();
    if (align) align.push(consumed);
    return { bytes: buf.view(), normToOrig: align ? Int32Array.from(align) : undefined };
  }
}
