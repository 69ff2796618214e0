import { deriveSeed, type PretrainingBatch } from '@albert-ts/core';
import {
  BatchIterator, type CorpusSplits, type InstanceOptions, type PretrainingInstance, type SentenceObjective,
  type TokenizedDocument, type VocabInfo, createPretrainingInstances, fromAlbertTokenizer, loadCorpus,
  resolveInstanceOptions, toBatchTensors, tokenizeDocuments, vocabInfo,
} from '@albert-ts/data';
import { type AlbertTokenizer, tokenizerFiles, trainAlbertTokenizer } from '@albert-ts/tokenizer';
import { type BatchSource, SEED_KEYS, TrainerError } from '@albert-ts/trainer';

/** Options of {@link pretrainingData}. */
export interface PretrainingDataOptions {
  /** `sotu`, `moby-dick`, `spam-assassin`, `mixture`, or a path in the one-sentence-per-line format. */
  readonly corpus: string;
  /** The tokenizer; default: a unigram vocabulary of `vocabSize` pieces trained on the corpus's training split. */
  readonly tokenizer?: AlbertTokenizer;
  /** Pieces of a vocabulary trained when no `tokenizer` is given (default 8000). */
  readonly vocabSize?: number;
  /** Inter-sentence objective of the training instances (default `sop`); MLM targets are always made. */
  readonly objective?: SentenceObjective;
  readonly batchSize: number;
  readonly maxSeqLength: number;
  /** Default: `@albert-ts/data`'s (20, as `create_pretraining_data.py`). */
  readonly maxPredictionsPerSeq?: number;
  /** Default: `@albert-ts/data`'s (0.15). */
  readonly maskedLmProb?: number;
  /** Passes over the corpus when creating instances (default: `@albert-ts/data`'s, 1). */
  readonly dupeFactor?: number;
  /** Seed of masking, instance order and the held-out sets (default 12345). */
  readonly seed?: number;
  /** Held-out SOP and NSP instances to build for evaluation (default 256 each; 0 for none). */
  readonly evalExamples?: number;
  /** Receives progress notes (e.g. that a vocabulary is being trained). */
  readonly onNote?: (line: string) => void;
}

/** Held-out evaluation sets built from documents the model never trains on. */
export interface EvalSets {
  /** SOP instances (label 1 = swapped); also the MLM evaluation set. */
  readonly sop: PretrainingInstance[];
  /** NSP instances (label 1 = random next segment). */
  readonly nsp: PretrainingInstance[];
}

/** Batches and evaluation sets for pretraining, from {@link pretrainingData}. */
export interface PretrainingData {
  readonly tokenizer: AlbertTokenizer;
  /** The tokenizer's files for a saved model directory (`saveHfModel(dir, model, { tokenizerFiles })`). */
  readonly tokenizerFiles: Map<string, Uint8Array>;
  /** Endless shuffled training batches; `state()`/`restore()` make a resumed run see the same batches. */
  readonly batches: BatchSource<PretrainingBatch>;
  /** Training instances (one epoch). */
  readonly trainInstances: number;
  /** Held-out SOP/NSP sets; undefined when the corpus has fewer than 2 held-out documents or `evalExamples` is 0. */
  readonly evalSets?: EvalSets;
  /** The instance settings in effect (defaults filled in). */
  readonly instances: Required<InstanceOptions>;
}

/** All instances of tokenized documents, or the first `limit`. */
function instancesOf(docs: readonly TokenizedDocument[], vocab: VocabInfo, options: InstanceOptions, limit = Infinity): PretrainingInstance[] {
  const out: PretrainingInstance[] = [];
  for (const inst of createPretrainingInstances(docs, vocab, options)) {
    if (out.length >= limit) break;
    out.push(inst);
  }
  return out;
}

/**
 * The data half of pretraining: a corpus (`@albert-ts/data`), a tokenizer (given, or trained on the corpus with
 * `@albert-ts/tokenizer`), ALBERT instances (n-gram MLM + SOP/NSP) and a resumable stream of batch tensors for
 * `train`, plus held-out SOP and NSP sets.
 */
export async function pretrainingData(options: PretrainingDataOptions): Promise<PretrainingData> {
  const seed = options.seed ?? 12345;
  const instances = resolveInstanceOptions({
    objective: options.objective ?? 'sop', seed, maxSeqLength: options.maxSeqLength,
    maxPredictionsPerSeq: options.maxPredictionsPerSeq, maskedLmProb: options.maskedLmProb, dupeFactor: options.dupeFactor,
  });
  const corpus: CorpusSplits = await loadCorpus(options.corpus);
  let tokenizer = options.tokenizer;
  if (tokenizer === undefined) {
    const vocabSize = options.vocabSize ?? 8000;
    options.onNote?.(`training a ${vocabSize}-piece unigram vocabulary on the corpus`);
    tokenizer = trainAlbertTokenizer(corpus.train.flatMap((d) => d.sentences), { vocabSize });
  }
  const pieces = fromAlbertTokenizer(tokenizer);
  const vocab = vocabInfo(pieces);
  const train = instancesOf(await tokenizeDocuments(corpus.train, pieces), vocab, instances);
  if (train.length < options.batchSize) {
    throw new TrainerError(`batchSize: ${options.batchSize} is larger than the ${train.length} training instances of the corpus`,
      { field: 'batchSize', value: options.batchSize });
  }
  const batches = new BatchIterator(train, { batchSize: options.batchSize, seed })
    .map((rows) => toBatchTensors(rows, instances.maxSeqLength, instances.maxPredictionsPerSeq));
  const evalExamples = options.evalExamples ?? 256;
  const held = await tokenizeDocuments(corpus.heldOut, pieces);
  const evalSeed = deriveSeed(seed, SEED_KEYS.evalData);
  const evalSets = held.length >= 2 && evalExamples > 0
    ? {
      sop: instancesOf(held, vocab, { ...instances, objective: 'sop', seed: evalSeed }, evalExamples),
      nsp: instancesOf(held, vocab, { ...instances, objective: 'nsp', seed: evalSeed }, evalExamples),
    }
    : undefined;
  return { tokenizer, tokenizerFiles: tokenizerFiles(tokenizer), batches, trainInstances: train.length, evalSets, instances };
}
