import { deriveSeed, type PretrainingBatch } from '@albert-ts/core';
import {
  BatchIterator, type CorpusSplits, type InstanceOptions, type PieceTokenizer, type PretrainingInstance,
  type SentenceObjective, type TokenizedDocument, type VocabInfo, DataError, createPretrainingInstances,
  fromAlbertTokenizer, lengthMatchedPairs, loadCorpus, pairCueBaselines, resolveInstanceOptions, sentenceEndIds,
  toBatchTensors, tokenizeDocuments, vocabInfo,
} from '@albert-ts/data';
import { type AlbertTokenizer, tokenizerFiles, trainAlbertTokenizer } from '@albert-ts/tokenizer';
import { type BatchSource, SEED_KEYS, TrainerError } from '@albert-ts/trainer';
import type { EvalSets } from './evaluate.js';

export type { EvalSets } from './evaluate.js';

/** A corpus tokenized once: training and held-out documents as ids, with the tokenizer's tables. */
export interface TokenizedCorpus {
  readonly tokenizer: AlbertTokenizer;
  readonly pieces: PieceTokenizer;
  readonly vocab: VocabInfo;
  readonly train: TokenizedDocument[];
  readonly heldOut: TokenizedDocument[];
}

/** Options of {@link tokenizeCorpus}. */
export interface TokenizeCorpusOptions {
  /** A corpus name for `loadCorpus` of `@albert-ts/data` (bundled name or text path), or the documents themselves. */
  readonly corpus: string | CorpusSplits;
  /** The tokenizer; default: a unigram vocabulary of `vocabSize` pieces trained on the training documents. */
  readonly tokenizer?: AlbertTokenizer;
  /** Pieces of a vocabulary trained when no `tokenizer` is given (default 8000). */
  readonly vocabSize?: number;
  /** Receives progress notes (e.g. that a vocabulary is being trained). */
  readonly onNote?: (line: string) => void;
}

/** Loads and tokenizes a corpus (the slow part of data preparation; share the result between runs). */
export async function tokenizeCorpus(options: TokenizeCorpusOptions): Promise<TokenizedCorpus> {
  const splits = typeof options.corpus === 'string' ? await loadCorpus(options.corpus) : options.corpus;
  let tokenizer = options.tokenizer;
  if (tokenizer === undefined) {
    const vocabSize = options.vocabSize ?? 8000;
    options.onNote?.(`training a ${vocabSize}-piece unigram vocabulary on the corpus`);
    tokenizer = trainAlbertTokenizer(splits.train.flatMap((d) => d.sentences), { vocabSize });
  }
  const pieces = fromAlbertTokenizer(tokenizer);
  return {
    tokenizer, pieces, vocab: vocabInfo(pieces),
    train: await tokenizeDocuments(splits.train, pieces), heldOut: await tokenizeDocuments(splits.heldOut, pieces),
  };
}

/** Options of {@link heldOutEvalSets}. */
export interface EvalSetOptions {
  readonly maxSeqLength: number;
  readonly maxPredictionsPerSeq?: number;
  readonly maskedLmProb?: number;
  readonly seed: number;
  /** Pairs per set (SOP and NSP). */
  readonly count: number;
}

/**
 * Held-out SOP and NSP pair sets from the corpus's held-out documents: length-matched and label-balanced
 * (`lengthMatchedPairs` of `@albert-ts/data`), with the cue rules of each set. Undefined with fewer than 2
 * held-out documents. When the documents give no length-matched pair at all (a tiny corpus), the ordinary
 * instances are used and `lengthMatched` is false; their length rule then shows the cue.
 */
export function heldOutEvalSets(corpus: TokenizedCorpus, o: EvalSetOptions): EvalSets | undefined {
  if (corpus.heldOut.length < 2 || o.count < 2) return undefined;
  const ends = sentenceEndIds(corpus.pieces);
  let lengthMatched = true;
  const make = (objective: 'sop' | 'nsp'): PretrainingInstance[] => {
    const options = { objective, maxSeqLength: o.maxSeqLength, maxPredictionsPerSeq: o.maxPredictionsPerSeq, maskedLmProb: o.maskedLmProb, seed: o.seed };
    try {
      return lengthMatchedPairs(corpus.heldOut, corpus.vocab, { ...options, count: o.count });
    } catch (e) {
      if (!(e instanceof DataError) || e.field !== 'corpus') throw e;
      lengthMatched = false;
      return instancesOf(corpus.heldOut, corpus.vocab, options, o.count);
    }
  };
  const sop = make('sop');
  const nsp = make('nsp');
  return { sop, nsp, lengthMatched, cues: { sop: pairCueBaselines(sop, ends), nsp: pairCueBaselines(nsp, ends) } };
}

/**
 * The first `pairs` pairs of each held-out set, with the cue rules recomputed on them (a cheaper evaluation of the
 * same kind). Sets with no more pairs than that are returned as they are.
 */
export function evalSetsPrefix(sets: EvalSets, pairs: number, corpus: TokenizedCorpus): EvalSets {
  if (sets.sop.length <= pairs && sets.nsp.length <= pairs) return sets;
  const sop = sets.sop.slice(0, pairs);
  const nsp = sets.nsp.slice(0, pairs);
  if (sets.cues === undefined) return { ...sets, sop, nsp };
  const ends = sentenceEndIds(corpus.pieces);
  return { ...sets, sop, nsp, cues: { sop: pairCueBaselines(sop, ends), nsp: pairCueBaselines(nsp, ends) } };
}

/** Options of {@link pretrainingInputs}. */
export interface PretrainingInputsOptions {
  /** Inter-sentence objective of the training instances (default `sop`); MLM targets are always made. */
  readonly objective?: SentenceObjective;
  readonly maxSeqLength: number;
  /** Default: `@albert-ts/data`'s (20, as `create_pretraining_data.py`). */
  readonly maxPredictionsPerSeq?: number;
  /** Default: `@albert-ts/data`'s (0.15). */
  readonly maskedLmProb?: number;
  /** Passes over the corpus when creating instances (default: `@albert-ts/data`'s, 1). */
  readonly dupeFactor?: number;
  /** Seed of masking and of the held-out sets (default 12345). */
  readonly seed?: number;
  /** Held-out SOP and NSP pairs to build for evaluation (default 256 each; 0 for none). */
  readonly evalExamples?: number;
}

/** Training instances and held-out sets of one seed and objective, from {@link pretrainingInputs}. */
export interface PretrainingInputs {
  readonly corpus: TokenizedCorpus;
  /** Training instances (one epoch, in generation order; batches shuffle them). */
  readonly train: PretrainingInstance[];
  /** Held-out SOP/NSP sets ({@link heldOutEvalSets}). */
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

/** ALBERT instances (n-gram MLM + SOP/NSP) of a tokenized corpus for one seed and objective, plus held-out sets. */
export function pretrainingInputs(corpus: TokenizedCorpus, options: PretrainingInputsOptions): PretrainingInputs {
  const seed = options.seed ?? 12345;
  const instances = resolveInstanceOptions({
    objective: options.objective ?? 'sop', seed, maxSeqLength: options.maxSeqLength,
    maxPredictionsPerSeq: options.maxPredictionsPerSeq, maskedLmProb: options.maskedLmProb, dupeFactor: options.dupeFactor,
  });
  const train = instancesOf(corpus.train, corpus.vocab, instances);
  const evalSets = heldOutEvalSets(corpus, {
    maxSeqLength: instances.maxSeqLength, maxPredictionsPerSeq: instances.maxPredictionsPerSeq, maskedLmProb: instances.maskedLmProb,
    seed: deriveSeed(seed, SEED_KEYS.evalData), count: options.evalExamples ?? 256,
  });
  return { corpus, train, evalSets, instances };
}

/** Endless shuffled batch tensors of training instances; `state()`/`restore()` make a resumed run see the same batches. */
export function pretrainingBatches(inputs: PretrainingInputs, batchSize: number): BatchSource<PretrainingBatch> {
  if (inputs.train.length < batchSize) {
    throw new TrainerError(`batchSize: ${batchSize} is larger than the ${inputs.train.length} training instances of the corpus`,
      { field: 'batchSize', value: batchSize });
  }
  const { maxSeqLength, maxPredictionsPerSeq, seed } = inputs.instances;
  return new BatchIterator(inputs.train, { batchSize, seed }).map((rows) => toBatchTensors(rows, maxSeqLength, maxPredictionsPerSeq));
}

/** Options of {@link pretrainingData}. */
export interface PretrainingDataOptions extends PretrainingInputsOptions {
  /** `sotu`, `moby-dick`, `spam-assassin`, `mixture`, or a path in the one-sentence-per-line format. */
  readonly corpus: string;
  /** The tokenizer; default: a unigram vocabulary of `vocabSize` pieces trained on the corpus's training split. */
  readonly tokenizer?: AlbertTokenizer;
  /** Pieces of a vocabulary trained when no `tokenizer` is given (default 8000). */
  readonly vocabSize?: number;
  readonly batchSize: number;
  /** Receives progress notes (e.g. that a vocabulary is being trained). */
  readonly onNote?: (line: string) => void;
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

/**
 * The data half of pretraining in one call: a corpus (`@albert-ts/data`), a tokenizer (given, or trained on the
 * corpus with `@albert-ts/tokenizer`), ALBERT instances and a resumable stream of batch tensors for `train`, plus
 * length-matched held-out SOP and NSP sets. ({@link tokenizeCorpus}, {@link pretrainingInputs} and
 * {@link pretrainingBatches} are its three steps, for callers that share the slow ones between runs.)
 */
export async function pretrainingData(options: PretrainingDataOptions): Promise<PretrainingData> {
  const corpus = await tokenizeCorpus(options);
  const inputs = pretrainingInputs(corpus, options);
  return {
    tokenizer: corpus.tokenizer, tokenizerFiles: tokenizerFiles(corpus.tokenizer), batches: pretrainingBatches(inputs, options.batchSize),
    trainInstances: inputs.train.length, evalSets: inputs.evalSets, instances: inputs.instances,
  };
}
