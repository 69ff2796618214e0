import fs from 'node:fs';
import { hashString } from '@albert-ts/core';
import type { Split, TextDocument } from '../document.js';
import { DataError } from '../errors.js';
import { readTextCorpus } from '../readers.js';
import type { TextFormat } from '../text-format.js';
import { BUNDLED_CORPORA, isBundledCorpus, loadBundledCorpus } from './bundled.js';

/**
 * The documents a corpus name stands for: a bundled corpus (`sotu`, `moby-dick`, `spam-assassin`, `mixture`; its
 * `split`, or all splits) or a file or directory of text files in `format` (streamed). Throws {@link DataError}
 * (field `corpus`) for anything else.
 */
export function openCorpus(
  spec: string, options: { split?: Split; format?: TextFormat } = {},
): TextDocument[] | AsyncIterable<TextDocument> {
  if (isBundledCorpus(spec)) return loadBundledCorpus(spec, options.split);
  if (!fs.existsSync(spec)) {
    throw new DataError(`corpus: '${spec}' is neither a bundled corpus (${BUNDLED_CORPORA.join(', ')}) nor an existing file or directory`,
      { field: 'corpus', value: spec });
  }
  return readTextCorpus(spec, options.format);
}

/** Training and held-out documents of a corpus. */
export interface CorpusSplits {
  readonly train: TextDocument[];
  readonly heldOut: TextDocument[];
}

/**
 * Training and held-out documents of a corpus name ({@link openCorpus}): a bundled corpus uses its own
 * train/validation split (SOTU by year, ...); a file or directory in the pretraining text format (one sentence per
 * line, blank line between documents) holds out every document whose text hashes to 0 mod `heldOutEvery` (default
 * 10), so the split depends on the content only. When that leaves fewer than 2 held-out documents and the corpus
 * has at least 4, the last training documents move to the held-out set until there are 2 (NSP needs two).
 */
export async function loadCorpus(spec: string, heldOutEvery = 10): Promise<CorpusSplits> {
  if (isBundledCorpus(spec)) {
    return { train: loadBundledCorpus(spec, 'train'), heldOut: loadBundledCorpus(spec, 'validation') };
  }
  const train: TextDocument[] = [];
  const heldOut: TextDocument[] = [];
  for await (const doc of openCorpus(spec)) {
    (hashString(doc.sentences.join('\n')) % heldOutEvery === 0 ? heldOut : train).push(doc);
  }
  while (heldOut.length < 2 && train.length + heldOut.length >= 4) heldOut.push(train.pop()!);
  if (train.length === 0) throw new DataError(`corpus: '${spec}' has no training documents`, { field: 'corpus', value: spec });
  return { train, heldOut };
}
