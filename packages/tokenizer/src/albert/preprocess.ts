// HF AlbertTokenizer's text preprocessing (`preprocess_text` and the per-character lower-casing of `tokenize`), as
// plain string functions and as offset-keeping versions on AlignedText.

import {
  type AlignedText, AlignedBuilder, forEachCodePoint, mapCodePoints, untracked,
} from './aligned-text.js';
import { collapseWhitespace, isPythonSpace, stripAccents } from './python-text.js';

/** The three HF flags of ALBERT's text preprocessing (`tokenizer_config.json` keys in snake_case). */
export interface AlbertPreprocessing {
  /** `do_lower_case`. */
  readonly doLowerCase: boolean;
  /** `remove_space`: strip and collapse whitespace. */
  readonly removeSpace: boolean;
  /** `keep_accents`: when false, NFKD and drop combining marks. */
  readonly keepAccents: boolean;
}

/** ALBERT's own preprocessing (albert-base-v2 and HF's defaults): lower-case, collapse spaces, strip accents. */
export const ALBERT_PREPROCESSING: AlbertPreprocessing = { doLowerCase: true, removeSpace: true, keepAccents: false };

/** Preprocessing that keeps case and accents (a cased vocabulary); whitespace is still collapsed. */
export const CASED_PREPROCESSING: AlbertPreprocessing = { doLowerCase: false, removeSpace: true, keepAccents: true };

/**
 * HF `AlbertTokenizer.preprocess_text` (defaults of `albert-base-v2`): whitespace cleanup, LaTeX quotes → `"`,
 * accent stripping (NFKD without combining marks), lower-casing; each step as the flags say.
 */
export function albertPreprocess(text: string, options: Partial<AlbertPreprocessing> = {}): string {
  const p = { ...ALBERT_PREPROCESSING, ...options };
  let out = p.removeSpace ? collapseWhitespace(text) : text;
  out = out.replaceAll('``', '"').replaceAll("''", '"');
  if (!p.keepAccents) out = stripAccents(out);
  if (p.doLowerCase) out = out.toLowerCase();
  return out;
}

/**
 * The text a tokenizer with preprocessing `p` hands to SentencePiece for a line without special tokens: HF
 * `tokenize` lower-cases each character (no context), then `preprocess_text`. Train a vocabulary on this text and
 * every piece it learns can be produced.
 */
export function tokenizerInputText(text: string, options: Partial<AlbertPreprocessing> = {}): string {
  const p = { ...ALBERT_PREPROCESSING, ...options };
  return albertPreprocess(p.doLowerCase ? lowerEachChar(text) : text, p);
}

/** {@link albertPreprocess} keeping offsets. */
export function preprocessAligned(a: AlignedText, p: AlbertPreprocessing): AlignedText {
  let out = p.removeSpace ? collapseWhitespaceAligned(a) : a;
  out = replaceAligned(replaceAligned(out, '``', '"'), "''", '"');
  if (!p.keepAccents) out = mapCodePoints(out, stripAccents, stripAccents);
  if (p.doLowerCase) {
    // Whole-string lower-casing differs from per-character only by context (final sigma), never in length.
    const lowered = mapCodePoints(out, (ch) => ch.toLowerCase(), (t) => t.toLowerCase());
    out = lowered.tracked ? { ...lowered, text: out.text.toLowerCase() } : lowered;
  }
  return out;
}

/** Lower-cases code point by code point (no final-sigma context), as HF's `re.sub(r"(.+?)", ...lower())` does. */
export function lowerEachChar(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) {
      let out = '';
      for (const ch of text) out += ch.toLowerCase();
      return out;
    }
  }
  return text.toLowerCase();
}

/** {@link lowerEachChar} keeping offsets. */
export function lowerEachCharAligned(a: AlignedText): AlignedText {
  return mapCodePoints(a, (ch) => ch.toLowerCase(), lowerEachChar);
}

/** `" ".join(text.strip().split())` keeping offsets (the joining space comes from the first blank of its run). */
function collapseWhitespaceAligned(a: AlignedText): AlignedText {
  if (!a.tracked) return untracked(collapseWhitespace(a.text));
  const b = new AlignedBuilder(true);
  let pendingSpace = -1;
  let started = false;
  forEachCodePoint(a, (ch, from, to) => {
    if (ch.length === 1 && isPythonSpace(ch.charCodeAt(0))) {
      if (started && pendingSpace < 0) pendingSpace = from;
      return;
    }
    if (pendingSpace >= 0) {
      b.push(' ', a.starts[pendingSpace]!, a.ends[pendingSpace]!);
      pendingSpace = -1;
    }
    b.copy(a, from, to);
    started = true;
  });
  return b.build();
}

/** `text.replace(pattern, by)` (every non-overlapping occurrence, left to right) keeping offsets. */
function replaceAligned(a: AlignedText, pattern: string, by: string): AlignedText {
  if (!a.text.includes(pattern)) return a;
  if (!a.tracked) return untracked(a.text.replaceAll(pattern, by));
  const b = new AlignedBuilder(true);
  let i = 0;
  for (let at = a.text.indexOf(pattern); at >= 0; at = a.text.indexOf(pattern, i)) {
    b.copy(a, i, at);
    b.push(by, a.starts[at]!, a.ends[at + pattern.length - 1]!);
    i = at + pattern.length;
  }
  b.copy(a, i, a.text.length);
  return b.build();
}
