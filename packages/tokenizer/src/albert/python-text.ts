/**
 * Python `str` semantics that HuggingFace's slow tokenizers rely on: `str.isspace`, `str.strip`/`split`,
 * `unicodedata.combining`, `str.isdigit`, `str.lower`.
 */

/** Python `str.isspace()` for one code point (White_Space-like set Python uses, incl. U+001C..U+001F, U+0085). */
export function isPythonSpace(cp: number): boolean {
  if (cp <= 0x20) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x1f);
  if (cp < 0x85) return false;
  return cp === 0x85 || cp === 0xa0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 ||
    cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}

/** `" ".join(text.strip().split())`: trims Python whitespace and collapses every run into one space. */
export function collapseWhitespace(text: string): string {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isPythonSpace(c)) {
      if (start >= 0) {
        words.push(text.slice(start, i));
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  if (start >= 0) words.push(text.slice(start));
  return words.join(' ');
}

/** Python `str.rstrip()` (no argument). */
export function rstripPython(text: string): string {
  let end = text.length;
  while (end > 0 && isPythonSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

/** Python `str.lstrip()` (no argument). */
export function lstripPython(text: string): string {
  let start = 0;
  while (start < text.length && isPythonSpace(text.charCodeAt(start))) start++;
  return text.slice(start);
}

const combiningCache = new Map<number, boolean>();

/**
 * `unicodedata.combining(c) != 0` for a code point that is stable under NFD. JavaScript has no combining-class
 * API, so the class is probed through canonical reordering: a mark with class k > 0 is moved before U+0334
 * (class 1) when k > 1, and before U+0345 (class 240) when k < 240.
 */
export function isCombining(cp: number): boolean {
  if (cp < 0x300) return false;
  let r = combiningCache.get(cp);
  if (r === undefined) {
    const c = String.fromCodePoint(cp);
    if (c.normalize('NFD') !== c) {
      r = false;
    } else {
      const movedBeforeLow = ('a' + c + '\u0334').normalize('NFD') === 'a\u0334' + c;
      const movedBeforeHigh = ('a\u0345' + c).normalize('NFD') === 'a' + c + '\u0345';
      r = movedBeforeLow || movedBeforeHigh;
    }
    combiningCache.set(cp, r);
  }
  return r;
}

/** NFKD, then drop combining marks (HF's `keep_accents=False`). */
export function stripAccents(text: string): string {
  const nfkd = text.normalize('NFKD');
  let ascii = true;
  for (let i = 0; i < nfkd.length; i++) {
    if (nfkd.charCodeAt(i) >= 0x300) {
      ascii = false;
      break;
    }
  }
  if (ascii) return nfkd;
  let out = '';
  for (const ch of nfkd) {
    if (!isCombining(ch.codePointAt(0)!)) out += ch;
  }
  return out;
}

const EXTRA_DIGITS = /[\u00B2\u00B3\u00B9\u1369-\u1371\u19DA\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247C\u2488-\u2490\u24EA\u24F5-\u24FD\u24FF\u2776-\u277E\u2780-\u2788\u278A-\u2792]/u;

/** Python `str.isdigit()` for one character (Numeric_Type Decimal or Digit). */
export function isPythonDigit(ch: string): boolean {
  return /^\p{Nd}$/u.test(ch) || EXTRA_DIGITS.test(ch);
}
