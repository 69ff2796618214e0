// The pretraining corpus of a report. Presets with a sample write a deterministic subset of the bundled mixture
// (the same number of documents from each source, evenly spaced, each cut to its first sentences) to
// `<out>/shared/corpus.txt` in the one-sentence-per-line format; the trainer then re-reads a small file per run
// instead of the whole mixture.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '@albert-ts/core/node';
import { type BundledCorpus, type TextDocument, loadBundledCorpus } from '@albert-ts/data';

/** How a preset samples the mixture corpus. */
export interface CorpusSample {
  /** Documents taken from each source (SOTU speeches, Moby Dick chapters, e-mails). */
  docsPerSource: number;
  /** Sentences kept from the start of each document. */
  maxSentencesPerDoc: number;
}

const SOURCES: BundledCorpus[] = ['sotu', 'moby-dick', 'spam-assassin'];

/** Evenly spaced picks of `k` out of `docs` (deterministic). */
export function evenlySpaced<T>(docs: readonly T[], k: number): T[] {
  if (k >= docs.length) return [...docs];
  return Array.from({ length: k }, (_, i) => docs[Math.floor((i * docs.length) / k)]);
}

/** Serialises documents in the pretraining text format (one sentence per line, blank line between documents). */
export function toPretrainingText(docs: readonly TextDocument[], maxSentences: number): string {
  const blocks: string[] = [];
  for (const d of docs) {
    const lines = d.sentences.map((s) => s.replace(/\s+/g, ' ').trim()).filter((s) => s.length > 0).slice(0, maxSentences);
    if (lines.length >= 2) blocks.push(lines.join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}

/** Returns the corpus spec to pretrain on: the bundled name, or the path of the sampled file (written once). */
export async function prepareCorpus(name: string, sample: CorpusSample | undefined, sharedDir: string): Promise<string> {
  if (!sample) return name;
  const file = path.join(sharedDir, 'corpus.txt');
  if (fs.existsSync(file)) return file;
  const sources = name === 'mixture' ? SOURCES : [name as BundledCorpus];
  const docs = sources.flatMap((s) => evenlySpaced(loadBundledCorpus(s), sample.docsPerSource));
  await writeFileAtomic(file, toPretrainingText(docs, sample.maxSentencesPerDoc));
  return file;
}
