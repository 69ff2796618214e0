import { TokenizerError } from '../errors.js';
import type { MetaPiece } from './meta-pieces.js';
import type { ResolvedTrainerOptions } from './options.js';

/** U+2581, the escaped whitespace of normalized text. */
export const WS = 0x2581;
/** U+2585, the stand-in for characters outside the required alphabet (SentencePiece's `kUNKChar`). */
export const UNK_CHAR = 0x2585;
/** Tab: meta symbols in the input are replaced by it before rare characters become {@link UNK_CHAR}. */
const BOUNDARY = '\t';

/** Normalized training sentences and the alphabet, as `TrainerInterface::LoadSentences` leaves them. */
export interface TrainingCorpus {
  /** Normalized sentences (whitespace escaped as U+2581); characters outside the alphabet replaced by U+2585. */
  readonly sentences: string[];
  /** The alphabet: code points kept by `character_coverage`, with their counts, most frequent first. */
  readonly requiredChars: ReadonlyArray<readonly [codePoint: number, count: number]>;
  /** Number of input lines read (before skipping). */
  readonly linesRead: number;
}

/** UTF-8 byte length of a well-formed string, without allocating. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Compares strings by code point (= UTF-8 byte order, as `std::string` compares), not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1; // a surrogate (astral code point) sorts after every BMP unit
      return x - y;
    }
  }
  return a.length - b.length;
}

/** Longest-match replacement of the meta symbols, as SentencePiece's `PrefixMatcher::GlobalReplace`. */
function metaReplacer(symbols: readonly string[]): (s: string) => string {
  if (symbols.length === 0) return (s) => s;
  const set = new Set(symbols);
  const firstUnits = new Set(symbols.map((s) => s.charCodeAt(0)));
  const maxLen = Math.max(...symbols.map((s) => s.length));
  return (s) => {
    let out = '';
    let last = 0;
    for (let i = 0; i < s.length; ) {
      if (firstUnits.has(s.charCodeAt(i))) {
        let hit = 0;
        for (let len = Math.min(maxLen, s.length - i); len > 0; len--) {
          if (set.has(s.substr(i, len))) {
            hit = len;
            break;
          }
        }
        if (hit > 0) {
          out += s.slice(last, i) + BOUNDARY;
          i += hit;
          last = i;
          continue;
        }
      }
      i++;
    }
    return last === 0 ? s : out + s.slice(last);
  };
}

/**
 * Reads, normalizes and filters the training lines and picks the alphabet, following
 * `TrainerInterface::LoadSentences` of SentencePiece 0.1.97: empty lines, lines longer than `maxSentenceLength`
 * UTF-8 bytes and lines containing U+2585 are skipped; meta symbols (pad/unk/control/user-defined) become
 * boundaries; the most frequent characters up to `characterCoverage` form the alphabet and every other character
 * becomes U+2585. Unlike `spm_train --shuffle_input_sentence`, a corpus above `inputSentenceSize` lines keeps its
 * first lines instead of a random sample.
 */
export function loadTrainingCorpus(
  lines: Iterable<string>,
  o: ResolvedTrainerOptions,
  meta: readonly MetaPiece[],
  normalize: (text: string) => string,
): TrainingCorpus {
  const replaceMeta = metaReplacer(meta.map((m) => m.piece));
  const sentences: string[] = [];
  let linesRead = 0;
  for (const raw of lines) {
    linesRead++;
    if (typeof raw !== 'string') throw new TokenizerError(`training line ${linesRead} is not a string`);
    if (raw.length === 0) continue;
    if (/[\uD800-\uDFFF]/u.test(raw)) {
      throw new TokenizerError(`training line ${linesRead} contains an unpaired surrogate`);
    }
    if (utf8Length(raw) > o.maxSentenceLength) continue;
    if (raw.includes('\u2585')) continue;
    const normalized = replaceMeta(normalize(raw));
    if (normalized.length === 0) continue;
    sentences.push(normalized);
    if (o.inputSentenceSize > 0 && sentences.length >= o.inputSentenceSize) break;
  }
  if (sentences.length === 0) {
    throw new TokenizerError(
      linesRead === 0 ? 'training input is empty' : `training input has no usable line (${linesRead} lines read, all empty or skipped)`,
    );
  }

  // Character frequencies (code points; the meta boundary counts towards coverage but never joins the alphabet).
  const bmp = new Float64Array(0x10000);
  const astral = new Map<number, number>();
  let total = 0;
  for (const s of sentences) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const cp = s.codePointAt(i)!;
        astral.set(cp, (astral.get(cp) ?? 0) + 1);
        i++;
      } else if (c !== 0) bmp[c]!++;
      else continue;
      total++;
    }
  }
  const counts = new Map<number, number>(astral);
  for (let c = 0; c < 0x10000; c++) if (bmp[c]! > 0) counts.set(c, bmp[c]!);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const required: [number, number][] = [];
  let accumulated = 0;
  const coverage = Math.fround(o.characterCoverage); // TrainerSpec stores a float
  for (const [cp, count] of sorted) {
    if (accumulated / total >= coverage) break;
    accumulated += count;
    if (cp === 0x09) continue;
    required.push([cp, count]);
  }
  const alphabet = new Set(required.map(([cp]) => cp));

  // Characters outside the alphabet (and the meta boundaries) become U+2585.
  const outside = new RegExp(`[^${[...alphabet].map((cp) => `\\u{${cp.toString(16)}}`).join('')}]`, 'gu');
  for (let i = 0; i < sentences.length; i++) sentences[i] = sentences[i]!.replace(outside, '\u2585');
  if (required.length === 0) throw new TokenizerError('training input has no characters after normalization');
  return { sentences, requiredChars: required, linesRead };
}
