// The plain-text corpus formats, independent of where the lines come from (files in Node, fetched text in
// browsers): parsing lines into documents, writing documents in the sentence-per-line format, sampling.
import type { TextDocument } from './document.js';
import { splitSentences } from './sentences.js';
import { collapseWhitespace } from './whitespace.js';

/**
 * Text formats a corpus can be in:
 * - `sentence-per-line`: the BERT/ALBERT pretraining format, one sentence per line, a blank line between
 *   documents; every file also starts a new document.
 * - `prose`: plain text; blank lines separate paragraphs, paragraphs are split into sentences with
 *   {@link splitSentences}; one file is one document.
 */
export type TextFormat = 'sentence-per-line' | 'prose';

/**
 * Parses the lines of one file (or one fetched text) into documents with ids `<source>#<n>`. Used by
 * `readTextCorpus` for files; browsers pass `text.split('\n')`.
 */
export async function* documentsFromLines(
  lines: AsyncIterable<string> | Iterable<string>, format: TextFormat, source: string,
): AsyncGenerator<TextDocument> {
  let n = 0;
  let sentences: string[] = [];
  let paragraph: string[] = [];
  const flushParagraph = (): void => {
    if (paragraph.length > 0) sentences.push(...splitSentences(paragraph.join(' ')));
    paragraph = [];
  };
  for await (const raw of lines) {
    const line = raw.trim();
    if (format === 'sentence-per-line') {
      if (line.length === 0) {
        if (sentences.length > 0) yield { id: `${source}#${n++}`, sentences };
        sentences = [];
      } else {
        sentences.push(collapseWhitespace(line));
      }
    } else if (line.length === 0) {
      flushParagraph();
    } else {
      paragraph.push(line);
    }
  }
  flushParagraph();
  if (sentences.length > 0) yield { id: `${source}#${n++}`, sentences };
}

/** Evenly spaced picks of `k` out of `docs` (deterministic; all of them when `k >= docs.length`). */
export function evenlySpaced<T>(docs: readonly T[], k: number): T[] {
  if (k >= docs.length) return [...docs];
  return Array.from({ length: k }, (_, i) => docs[Math.floor((i * docs.length) / k)]);
}

/**
 * Serialises documents in the sentence-per-line format (one sentence per line, blank line between documents),
 * keeping the first `maxSentences` non-empty sentences of each and dropping documents left with fewer than two.
 */
export function toPretrainingText(docs: readonly TextDocument[], maxSentences: number): string {
  const blocks: string[] = [];
  for (const d of docs) {
    const lines = d.sentences.map((s) => s.replace(/\s+/g, ' ').trim()).filter((s) => s.length > 0).slice(0, maxSentences);
    if (lines.length >= 2) blocks.push(lines.join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}
