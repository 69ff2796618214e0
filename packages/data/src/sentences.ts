// Rule-based English sentence splitter for plain prose (the bundled corpora and `format: 'prose'` files).

import { collapseWhitespace } from './whitespace.js';

/** Abbreviations (lower-case, without the final period) after which a period does not end a sentence. */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'messrs', 'mme', 'mlle', 'dr', 'prof', 'rev', 'hon', 'sr', 'jr', 'st', 'capt', 'col', 'gen',
  'lt', 'maj', 'sgt', 'cmdr', 'adm', 'gov', 'sen', 'rep', 'pres', 'supt', 'esq', 'vs', 'etc', 'viz', 'cf', 'al',
  'no', 'nos', 'vol', 'vols', 'fig', 'figs', 'p', 'pp', 'ch', 'chap', 'sec', 'art', 'arts', 'ed', 'eds', 'co',
  'corp', 'inc', 'ltd', 'bros', 'dept', 'univ', 'assn', 'ave', 'blvd', 'rd', 'mt', 'ft', 'approx', 'est', 'min',
  'max', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'mon', 'tue',
  'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun', 'u.s', 'u.k', 'u.n', 'e.g', 'i.e', 'a.m', 'p.m',
  'd.c', 'ph.d', 'b.c', 'a.d', 'n.b',
]);

const CLOSERS = new Set(['"', "'", ')', ']', '}', '\u201d', '\u2019', '\u00bb']);
const TERMINALS = new Set(['.', '!', '?', '\u2026']);

function isUpperStart(s: string): boolean {
  for (const ch of s) {
    if (CLOSERS.has(ch) || ch === '"' || ch === '\u201c' || ch === '\u2018' || ch === '(' || ch === '[' || ch === '\u2014') continue;
    return ch !== ch.toLowerCase() || /\p{N}/u.test(ch);
  }
  return false;
}

/**
 * Splits a paragraph of prose into sentences. A sentence ends at `.`, `!`, `?` or `…` (plus any closing quotes or
 * brackets) followed by whitespace and a word that starts with an upper-case letter, a digit or an opening quote;
 * a lower-case next word never starts a new sentence. A period does not end a sentence after a known abbreviation (Mr., Dr., St., etc.), after a single capital initial (J. Smith),
 * after a dotted acronym (U.S., e.g.), or inside a number (3.14) since no whitespace follows it.
 * Whitespace (including line breaks) is normalised to single spaces.
 */
export function splitSentences(text: string): string[] {
  // Words are scanned one ahead, and each sentence is cut from `text` itself: memory stays proportional to the
  // text even for one huge paragraph (an array of all its words took about 30 times the text).
  const words = /\S+/gu;
  const out: string[] = [];
  let word = words.exec(text);
  let sentenceStart = word?.index ?? 0;
  while (word !== null) {
    const wordEnd = word.index + word[0].length;
    const next = words.exec(text);
    if (next === null || endsSentence(word[0], next[0])) {
      out.push(collapseWhitespace(text.slice(sentenceStart, wordEnd)));
      if (next !== null) sentenceStart = next.index;
    }
    word = next;
  }
  return out;
}

function endsSentence(word: string, next: string): boolean {
  // strip trailing closers: `said."` -> `said.`
  let end = word.length;
  while (end > 0 && CLOSERS.has(word[end - 1])) end--;
  if (end === 0) return false;
  const last = word[end - 1];
  if (!TERMINALS.has(last)) return false;
  if (!isUpperStart(next)) return false;
  if (last !== '.') return true;
  const core = word.slice(0, end - 1).replace(/^["'(\[\u201c\u2018]+/u, '');
  if (core.length === 0) return false; // a lone "." or "..."
  if (core.endsWith('..')) return true; // ellipsis "..." before a capital
  const lower = core.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return false;
  if (/^\p{Lu}$/u.test(core)) return false; // initial: "J. Smith"
  if (/^(\p{L}\.)+\p{L}$/u.test(core)) return false; // dotted acronym: "U.S", "e.g"
  return true;
}
