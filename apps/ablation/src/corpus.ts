// The pretraining and held-out documents of a report. Presets with a sample train on a deterministic subset of the
// bundled corpus's training split (the same number of documents from each source, evenly spaced, each cut to its
// first sentences), written once to `<out>/shared/corpus.txt`; every preset evaluates on the corpus's validation
// split, which no run trains on.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '@albert-ts/core/node';
import {
  type BundledCorpus, type CorpusSplits, type TextDocument, evenlySpaced, isBundledCorpus, loadBundledCorpus, loadCorpus,
  openCorpus, toPretrainingText,
} from '@albert-ts/data';

/** How a preset samples the training split. */
export interface CorpusSample {
  /** Documents taken from each source (SOTU speeches, Moby Dick chapters, e-mails). */
  docsPerSource: number;
  /** Sentences kept from the start of each document. */
  maxSentencesPerDoc: number;
}

const MIXTURE_SOURCES: BundledCorpus[] = ['sotu', 'moby-dick', 'spam-assassin'];

/** Training and held-out documents, and a label for the report. */
export async function pretrainingSplits(name: string, sample: CorpusSample | undefined, sharedDir: string): Promise<{ label: string; splits: CorpusSplits }> {
  if (!isBundledCorpus(name)) return { label: name, splits: await loadCorpus(name) };
  const heldOut = loadBundledCorpus(name, 'validation');
  if (!sample) return { label: `${name} (training split; held out: validation split)`, splits: { train: loadBundledCorpus(name, 'train'), heldOut } };
  const file = path.join(sharedDir, 'corpus.txt');
  if (!fs.existsSync(file)) {
    const sources = name === 'mixture' ? MIXTURE_SOURCES : [name];
    const docs = sources.flatMap((s) => evenlySpaced(loadBundledCorpus(s, 'train'), sample.docsPerSource));
    await writeFileAtomic(file, toPretrainingText(docs, sample.maxSentencesPerDoc));
  }
  const train: TextDocument[] = [];
  for await (const d of openCorpus(file)) train.push(d);
  return {
    label: `${name} training split (${sample.docsPerSource} documents per source, first ${sample.maxSentencesPerDoc} sentences; held out: validation split)`,
    splits: { train, heldOut },
  };
}
