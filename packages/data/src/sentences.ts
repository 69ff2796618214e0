// Rule-based English sentence splitter for plain prose (the bundled corpora and `format: 'prose'` files).

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
  const words = text.split(/\s+/u).filter((w) => w.length > 0);
  const out: string[] = [];
  let cur: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    cur.push(w);
    const next = words[i + 1];
    if (next === undefined) break;
    if (endsSentence(w, next)) {
      out.push(cur.join(' '));
      cur = [];
    }
  }
  if (cur.length > 0) out.push(cur.join(' '));
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
