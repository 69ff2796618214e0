import fs from 'node:fs';
import { type TextDocument, hashString, isBundledCorpus, loadBundledCorpus, readTextCorpus } from '@albert-ts/data';
import { TrainerError } from '../errors.js';

/** Training and held-out documents of a corpus. */
export interface CorpusSplits {
  readonly train: TextDocument[];
  readonly heldOut: TextDocument[];
}

/**
 * Loads a corpus: a bundled name (`sotu`, `moby-dick`, ...) uses its own train/validation split (SOTU by year,
 * ...); a file or directory in the pretraining text format (one sentence per line, blank line between documents)
 * holds out every document whose text hashes to 0 mod `heldOutEvery` (default 10): the split depends on the
 * content only (not on file paths or order). When that leaves fewer than 2 held-out documents and the corpus has
 * at least 4, the last training documents are moved to the held-out set until there are 2 (NSP needs two).
 */
export async function loadCorpus(spec: string, heldOutEvery = 10): Promise<CorpusSplits> {
  if (isBundledCorpus(spec)) {
    return { train: loadBundledCorpus(spec, 'train'), heldOut: loadBundledCorpus(spec, 'validation') };
  }
  if (!fs.existsSync(spec)) {
    throw new TrainerError(`corpus: '${spec}' is neither a bundled corpus (sotu, moby-dick, spam-assassin, mixture) nor an existing path`);
  }
  const train: TextDocument[] = [];
  const heldOut: TextDocument[] = [];
  for await (const doc of readTextCorpus(spec)) {
    (hashString(doc.sentences.join('\n')) % heldOutEvery === 0 ? heldOut : train).push(doc);
  }
  while (heldOut.length < 2 && train.length + heldOut.length >= 4) heldOut.push(train.pop()!);
  if (train.length === 0) throw new TrainerError(`corpus: '${spec}' has no training documents`);
  return { train, heldOut };
}
