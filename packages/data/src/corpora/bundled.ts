import type { Split, TextDocument } from '../document.js';
import { DataError } from '../errors.js';
import { emailDocuments } from './spam-assassin.js';
import { mobyDickDocuments } from './moby-dick.js';
import { sotuDocuments } from './sotu.js';

/** Names of the bundled corpora. `mixture` = SOTU speeches + Moby Dick chapters + e-mail bodies. */
export const BUNDLED_CORPORA = ['sotu', 'moby-dick', 'spam-assassin', 'mixture'] as const;
export type BundledCorpus = (typeof BUNDLED_CORPORA)[number];

/** True for a bundled corpus name. */
export function isBundledCorpus(name: string): name is BundledCorpus {
  return (BUNDLED_CORPORA as readonly string[]).includes(name);
}

/**
 * Documents of a bundled corpus (all splits when `split` is omitted). Each source keeps its own split rule (SOTU
 * by year, Moby Dick by chapter, e-mails by body hash), so a document is in exactly one split. The `mixture`
 * corpus lets NSP negatives come from a different topic and register than their first segment.
 */
export function loadBundledCorpus(name: BundledCorpus, split?: Split): TextDocument[] {
  switch (name) {
    case 'sotu': return sotuDocuments(split);
    case 'moby-dick': return mobyDickDocuments(split);
    case 'spam-assassin': return emailDocuments(split);
    case 'mixture': return [...sotuDocuments(split), ...mobyDickDocuments(split), ...emailDocuments(split)];
    default: throw new DataError(`unknown bundled corpus '${String(name)}' (expected one of ${BUNDLED_CORPORA.join(', ')})`);
  }
}
