// The bundled corpus slice in the worker: documents split into training and held-out parts, the training batches
// (masked, paired for NSP/SOP, shuffled) and held-out instances, all built by @albert-ts/data's browser entry.
import type { PretrainingBatch } from '@albert-ts/core';
import {
  BatchIterator, createPretrainingInstances, documentsFromLines, fromAlbertTokenizer, type PretrainingInstance,
  type TextDocument, toBatchTensors, tokenizeDocuments, vocabInfo,
} from '@albert-ts/data';
import type { AlbertTokenizer } from '@albert-ts/tokenizer';
import type { ObjectiveChoice } from '../variant.js';

/** Sequence length of the playground's batches (the presets allow 512; short sequences keep steps fast). */
export const MAX_SEQ_LENGTH = 64;
/** Masked positions per sequence at most (15% of 64, rounded up). */
export const MAX_PREDICTIONS = 10;
/** Sequences per training batch. */
export const BATCH_SIZE = 8;
/** Tokens of one training batch (padding included), for tokens/s. */
export const TOKENS_PER_BATCH = BATCH_SIZE * MAX_SEQ_LENGTH;
/** Seed of the held-out instances (fixed, so every variant is measured on the same text). */
const HELD_OUT_SEED = 4242;
/** Seed of the training instances and their order (fixed, so variants A and B train on the same batches). */
const TRAIN_SEED = 12345;

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

/** Pretraining instances of `docs` for an objective (the first `limit`, deterministic). */
async function instancesOf(
  docs: TextDocument[], tokenizer: AlbertTokenizer, objective: ObjectiveChoice, seed: number, limit = Infinity,
): Promise<PretrainingInstance[]> {
  const pieces = fromAlbertTokenizer(tokenizer);
  const out: PretrainingInstance[] = [];
  const instances = createPretrainingInstances(await tokenizeDocuments(docs, pieces), vocabInfo(pieces), {
    objective, seed, maxSeqLength: MAX_SEQ_LENGTH, maxPredictionsPerSeq: MAX_PREDICTIONS,
  });
  for (const inst of instances) {
    if (out.length >= limit) break;
    out.push(inst);
  }
  return out;
}

/** The first `count` held-out instances for an objective (deterministic). */
export function heldOutInstances(
  corpus: Corpus, tokenizer: AlbertTokenizer, objective: ObjectiveChoice, count: number,
): Promise<PretrainingInstance[]> {
  return instancesOf(corpus.heldOut, tokenizer, objective, HELD_OUT_SEED, count);
}

/** Every training instance of the corpus for an objective (one pass, deterministic). */
export function trainingInstances(corpus: Corpus, tokenizer: AlbertTokenizer, objective: ObjectiveChoice): Promise<PretrainingInstance[]> {
  return instancesOf(corpus.train, tokenizer, objective, TRAIN_SEED);
}

/**
 * Endless shuffled batches of `BATCH_SIZE` instances as tensors, for the trainer's `train` (which disposes each
 * batch after its step). The same instances give the same batches in the same order.
 */
export function trainingBatches(instances: readonly PretrainingInstance[]): { next(): PretrainingBatch } {
  return new BatchIterator(instances, { batchSize: BATCH_SIZE, seed: TRAIN_SEED })
    .map((rows) => toBatchTensors(rows, MAX_SEQ_LENGTH, MAX_PREDICTIONS));
}
