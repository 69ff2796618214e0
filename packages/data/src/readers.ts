import fs from 'node:fs';
import path from 'node:path';
import { DataError } from './errors.js';
import { Utf8Validator } from './utf8.js';
import type { TextDocument } from './document.js';
import { documentsFromLines, type TextFormat } from './text-format.js';

/** Options of {@link readLines} and {@link readTextCorpus}. */
export interface ReadOptions {
  /** Bytes read at a time (default 64 KiB). */
  chunkSize?: number;
}

/**
 * Streams the lines of a UTF-8 file (without line terminators; `\r\n` and `\n` both end a line; a leading BOM is
 * dropped), reading `chunkSize` bytes at a time. Invalid UTF-8 throws a {@link DataError} naming the file and the
 * byte offset.
 */
export async function* readLines(file: string, options: ReadOptions = {}): AsyncGenerator<string> {
  const chunkSize = options.chunkSize ?? 1 << 16;
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (err) {
    throw new DataError(`cannot read corpus file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const validator = new Utf8Validator(file);
  const decoder = new TextDecoder('utf-8');
  const buf = new Uint8Array(chunkSize);
  // The unfinished line, as the chunks it spans: each chunk is scanned once and joined once, so a single line of
  // any length costs linear time (appending to one string and searching it from the start was quadratic).
  let pending: string[] = [];
  const line = (): string => {
    const joined = pending.join('');
    pending = [];
    return joined.endsWith('\r') ? joined.slice(0, -1) : joined;
  };
  let first = true;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, chunkSize, null);
      if (bytesRead === 0) break;
      const bytes = buf.subarray(0, bytesRead);
      validator.push(bytes);
      let text = decoder.decode(bytes, { stream: true });
      if (first) { first = false; if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); }
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        pending.push(text.slice(start, nl));
        yield line();
        start = nl + 1;
      }
      if (start < text.length) pending.push(text.slice(start));
    }
    validator.end();
    pending.push(decoder.decode());
    const last = line();
    if (last.length > 0) yield last;
  } finally {
    await handle.close();
  }
}

/** Lists the files of a corpus: a file, or every non-hidden regular file under a directory (recursively), sorted. */
export async function listCorpusFiles(paths: string | string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of Array.isArray(paths) ? paths : [paths]) {
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(p);
    } catch {
      throw new DataError(`corpus path not found: ${p}`);
    }
    if (st.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = (await fs.promises.readdir(dir, { withFileTypes: true }))
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (e.isFile()) out.push(full);
  }
  return out;
}

/**
 * Streams the documents of text files (a file, a list of files, or directories) in the given format. Documents
 * never span files. Ids are `<file>#<n>` (n counts the file's documents from 0). Memory use is bounded by one
 * document, never the corpus.
 */
export async function* readTextCorpus(
  paths: string | string[],
  format: TextFormat = 'sentence-per-line',
  options: ReadOptions = {},
): AsyncGenerator<TextDocument> {
  const files = await listCorpusFiles(paths);
  for (const file of files) yield* documentsFromLines(readLines(file, options), format, file);
}
