// The bundled corpus slice in the worker: documents split into training and held-out parts, and held-out batches
// of pretraining instances (masked, paired for NSP/SOP) built by @albert-ts/data exactly as for training.
import {
  createPretrainingInstances, documentsFromLines, fromAlbertTokenizer, type PretrainingInstance, type TextDocument,
  tokenizeDocuments, vocabInfo,
} from '@albert-ts/data';
import type { AlbertTokenizer } from '@albert-ts/tokenizer';
import type { ObjectiveChoice } from '../variant.js';

/** Sequence length of the playground's batches (the presets allow 512; short sequences keep steps fast). */
export const MAX_SEQ_LENGTH = 64;
/** Masked positions per sequence at most (15% of 64, rounded up). */
export const MAX_PREDICTIONS = 10;
/** Seed of the held-out instances (fixed, so every variant is measured on the same text). */
const HELD_OUT_SEED = 4242;

export interface Corpus {
  train: TextDocument[];
  heldOut: TextDocument[];
  sentences: number;
}

/** Parses `corpus.txt` (sentence-per-line); every tenth document is held out. */
export async function parseCorpus(text: string): Promise<Corpus> {
  const docs: TextDocument[] = [];
  for await (const d of documentsFromLines(text.split('\n'), 'sentence-per-line', 'corpus.txt')) docs.push(d);
  return {
    train: docs.filter((_, i) => i % 10 !== 9),
    heldOut: docs.filter((_, i) => i % 10 === 9),
    sentences: docs.reduce((n, d) => n + d.sentences.length, 0),
  };
}

/** The first `count` held-out instances for an objective (deterministic). */
export async function heldOutInstances(
  corpus: Corpus, tokenizer: AlbertTokenizer, objective: ObjectiveChoice, count: number,
): Promise<PretrainingInstance[]> {
  const pieces = fromAlbertTokenizer(tokenizer);
  const docs = await tokenizeDocuments(corpus.heldOut, pieces);
  const out: PretrainingInstance[] = [];
  const instances = createPretrainingInstances(docs, vocabInfo(pieces), {
    objective, seed: HELD_OUT_SEED, maxSeqLength: MAX_SEQ_LENGTH, maxPredictionsPerSeq: MAX_PREDICTIONS,
  });
  for (const inst of instances) {
    out.push(inst);
    if (out.length === count) break;
  }
  return out;
}
