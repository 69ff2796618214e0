// The pretraining corpus of a report. Presets with a sample write a deterministic subset of the bundled mixture
// (the same number of documents from each source, evenly spaced, each cut to its first sentences) to
// `<out>/shared/corpus.txt` in the one-sentence-per-line format; the trainer then re-reads a small file per run
// instead of the whole mixture.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '@albert-ts/core/node';
import { type BundledCorpus, evenlySpaced, loadBundledCorpus, toPretrainingText } from '@albert-ts/data';

/** How a preset samples the mixture corpus. */
export interface CorpusSample {
  /** Documents taken from each source (SOTU speeches, Moby Dick chapters, e-mails). */
  docsPerSource: number;
  /** Sentences kept from the start of each document. */
  maxSentencesPerDoc: number;
}

const SOURCES: BundledCorpus[] = ['sotu', 'moby-dick', 'spam-assassin'];

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
