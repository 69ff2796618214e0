import { DataError } from './errors.js';
import type { Rng } from './rng.js';
import type { TokenizedDocument, VocabInfo } from './tokenizer.js';

/** Names of the built-in inter-sentence objectives (see {@link sentenceObjective}). */
export type SentenceObjective = 'sop' | 'nsp' | 'none';

/** All built-in objective names, for argument validation. */
export const SENTENCE_OBJECTIVES: readonly SentenceObjective[] = ['sop', 'nsp', 'none'];

/** What an objective sees when the instance builder has filled a chunk of consecutive sentences. */
export interface PairContext {
  /** Consecutive sentences of document `docIndex`, about `target` tokens in total. */
  readonly chunk: readonly Int32Array[];
  readonly docs: readonly TokenizedDocument[];
  readonly docIndex: number;
  /** Target number of content tokens for the instance (after `short_seq_prob`). */
  readonly target: number;
  readonly vocab: VocabInfo;
  /** The (pass, document) generator; draw only from it to stay reproducible. */
  readonly rng: Rng;
}

/** Segments and label an objective makes from a chunk. */
export interface SentencePair {
  /** Segment A (token ids, no specials). */
  a: number[];
  /** Segment B, or null for a single-segment instance `[CLS] A [SEP]`. */
  b: number[] | null;
  /** Sentence-level label (null = none). */
  label: 0 | 1 | null;
  /** Id of the document B came from. */
  docB: string;
  /** Sentences at the end of the chunk that were not used and go back to the document (NSP negatives). */
  putBack: number;
}

/**
 * An inter-sentence objective as a plug-in: turns a chunk into segments A/B and a label. Write one to add a
 * pretraining task (e.g. a 3-way order task) without touching the chunking, truncation or masking.
 */
export interface SentencePairObjective {
  readonly name: string;
  /** Checks that a corpus can feed this objective; throw a one-line {@link DataError} otherwise. */
  checkCorpus(docs: readonly TokenizedDocument[], corpusName: string): void;
  /** Builds the pair, or returns null to drop the chunk. */
  pair(ctx: PairContext): SentencePair | null;
}

function concat(chunk: readonly Int32Array[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let j = from; j < to; j++) for (const t of chunk[j]) out.push(t);
  return out;
}

/** Indices k in 1..len-1 where a word starts (places to cut one sentence into A and B). */
function wordBoundaries(seg: Int32Array, vocab: VocabInfo): number[] {
  const out: number[] = [];
  for (let k = 1; k < seg.length; k++) if (vocab.isWordStart[seg[k]]) out.push(k);
  return out;
}

function needMultiSentenceDocs(docs: readonly TokenizedDocument[], name: string, corpusName: string): void {
  if (!docs.some((d) => d.sentences.length >= 2)) {
    throw new DataError(`${corpusName}: every document has a single sentence, but objective '${name}' needs documents of at least 2 sentences (one sentence per line, blank line between documents)`);
  }
}

/**
 * Splits a chunk into A (first sentences) and B (the rest) at a random sentence boundary; a lone sentence is cut at
 * a random word boundary instead (the reference turns it into a random-next negative). Returns null for a lone
 * one-word sentence. Draws: negative? (p 0.5), then the cut.
 */
function splitChunk(ctx: PairContext): { negative: boolean; aEnd: number; a: () => number[]; b: () => number[] } | null {
  const { chunk, rng, vocab } = ctx;
  const cuts = chunk.length === 1 ? wordBoundaries(chunk[0], vocab) : [];
  if (chunk.length === 1 && cuts.length === 0) return null;
  const negative = rng.float() < 0.5;
  if (chunk.length >= 2) {
    const aEnd = rng.int(1, chunk.length - 1);
    return { negative, aEnd, a: () => concat(chunk, 0, aEnd), b: () => concat(chunk, aEnd, chunk.length) };
  }
  const cut = cuts[rng.int(0, cuts.length - 1)];
  return { negative, aEnd: 1, a: () => Array.from(chunk[0].subarray(0, cut)), b: () => Array.from(chunk[0].subarray(cut)) };
}

/** Sentence-order prediction: consecutive A, B of one document, swapped with p 0.5 (label 1 = swapped). */
export const sopObjective: SentencePairObjective = {
  name: 'sop',
  checkCorpus: (docs, corpusName) => needMultiSentenceDocs(docs, 'sop', corpusName),
  pair(ctx) {
    const s = splitChunk(ctx);
    if (!s) return null;
    const a = s.a(), b = s.b();
    const docB = ctx.docs[ctx.docIndex].id;
    return s.negative ? { a: b, b: a, label: 1, docB, putBack: 0 } : { a, b, label: 0, docB, putBack: 0 };
  },
};

/** Next-sentence prediction: with p 0.5, B starts at a random sentence of another document (label 1 = random). */
export const nspObjective: SentencePairObjective = {
  name: 'nsp',
  checkCorpus(docs, corpusName) {
    needMultiSentenceDocs(docs, 'nsp', corpusName);
    if (docs.length < 2) throw new DataError(`${corpusName}: objective 'nsp' needs at least 2 documents, got ${docs.length}`);
  },
  pair(ctx) {
    const s = splitChunk(ctx);
    if (!s) return null;
    const { chunk, docs, docIndex, rng } = ctx;
    if (!s.negative) return { a: s.a(), b: s.b(), label: 0, docB: docs[docIndex].id, putBack: 0 };
    // A = the first aEnd sentences (a lone sentence whole); B = a span of another document
    const a = chunk.length >= 2 ? s.a() : Array.from(chunk[0]);
    const targetB = Math.max(1, ctx.target - a.length);
    let r = rng.int(0, docs.length - 2);
    if (r >= docIndex) r++;
    const other = docs[r].sentences;
    const b: number[] = [];
    for (let j = rng.int(0, other.length - 1); j < other.length; j++) {
      for (const t of other[j]) b.push(t);
      if (b.length >= targetB) break;
    }
    return { a, b, label: 1, docB: docs[r].id, putBack: chunk.length >= 2 ? chunk.length - s.aEnd : 0 };
  },
};

/** No inter-sentence task: `[CLS] A [SEP]` with the whole chunk, label null. */
export const noSentenceObjective: SentencePairObjective = {
  name: 'none',
  checkCorpus: () => undefined,
  pair: (ctx) => ({ a: concat(ctx.chunk, 0, ctx.chunk.length), b: null, label: null, docB: ctx.docs[ctx.docIndex].id, putBack: 0 }),
};

/** The built-in objective of a name; throws {@link DataError} for an unknown name. */
export function sentenceObjective(name: SentenceObjective | SentencePairObjective): SentencePairObjective {
  if (typeof name !== 'string') return name;
  switch (name) {
    case 'sop': return sopObjective;
    case 'nsp': return nspObjective;
    case 'none': return noSentenceObjective;
    default: throw new DataError(`objective must be one of ${SENTENCE_OBJECTIVES.join('|')}, got '${String(name)}'`);
  }
}
