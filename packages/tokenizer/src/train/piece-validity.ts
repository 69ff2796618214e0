import { UNK_CHAR, WS } from './corpus.js';
import { scriptOf } from './unicode-script.js';

/** The trainer options that decide which strings may become pieces. */
export interface PieceRules {
  readonly maxSentencepieceLength: number;
  readonly splitByWhitespace: boolean;
  readonly splitByNumber: boolean;
  readonly splitByUnicodeScript: boolean;
}

const ANY = -1;

/**
 * `TrainerInterface::IsValidSentencePiece` of SentencePiece 0.1.97 on code points `cps[begin, end)`: length in
 * [1, maxSentencepieceLength]; no U+2585, NUL, tab, space or invalid code point; U+2581 only as the first symbol
 * (with `splitByWhitespace`; otherwise anywhere but last); with `splitByUnicodeScript` one script per piece (digits
 * are script-neutral when `splitByNumber` is false; Hiragana/Katakana count as Han).
 */
export function isValidPiece(cps: ArrayLike<number>, begin: number, end: number, r: PieceRules): boolean {
  const len = end - begin;
  if (len <= 0 || len > r.maxSentencepieceLength) return false;
  let prev = ANY;
  for (let pos = 0; pos < len; pos++) {
    const c = cps[begin + pos]!;
    if (c === UNK_CHAR || c === 0 || c === 0x09 || c === 0x20) return false;
    if (c < 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return false;
    if (c === WS) {
      if (r.splitByWhitespace ? pos > 0 : pos > 0 && pos === len - 1) return false;
      continue;
    }
    let s = scriptOf(c);
    if (!r.splitByNumber && c >= 0x30 && c <= 0x39) s = ANY;
    if (r.splitByUnicodeScript && s !== ANY && prev !== ANY && prev !== s) return false;
    prev = s;
  }
  return true;
}
