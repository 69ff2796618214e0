import { DataError } from './errors.js';
import { createMaskedLmPredictions } from './masking.js';
import type { SentenceObjective, SentencePairObjective } from './objectives.js';
import { sentenceObjective } from './objectives.js';
import { Rng, checkSeed } from './rng.js';
import type { TokenizedDocument, VocabInfo } from './tokenizer.js';

/** One pretraining example, unpadded. */
export interface PretrainingInstance {
  /** `[CLS] A [SEP] B [SEP]` (or `[CLS] A [SEP]` for objective `none`) after masking. */
  inputIds: number[];
  /** 0 for `[CLS]`, A and the first `[SEP]`; 1 for B and the last `[SEP]`. */
  tokenTypeIds: number[];
  /** Ascending positions of the MLM targets. */
  maskedLmPositions: number[];
  /** Original ids at those positions. */
  maskedLmIds: number[];
  /** SOP: 1 = swapped; NSP: 1 = random next; null for `none`. */
  label: 0 | 1 | null;
  /** Id of the document segment A came from. */
  doc: string;
  /** Id of the document segment B came from (differs from `doc` only for NSP negatives). */
  docB: string;
}

/** Options of {@link createPretrainingInstances}, named as in `create_pretraining_data.py`. */
export interface InstanceOptions {
  /** `sop`, `nsp`, `none`, or your own {@link SentencePairObjective}. */
  objective: SentenceObjective | SentencePairObjective;
  maxSeqLength: number;
  seed: number;
  /** default 0.15 */
  maskedLmProb?: number;
  /** Cap on masked positions per instance; default `min(20, maxSeqLength)` (20 is the reference's flag default). */
  maxPredictionsPerSeq?: number;
  /** default 3 */
  ngram?: number;
  /** default 1 (the reference's 40 is for huge corpora) */
  dupeFactor?: number;
  /** default 0.1 */
  shortSeqProb?: number;
}

type Resolved = Required<InstanceOptions>;

/** Validates options at the edge; throws {@link DataError} naming the field and value. */
export function resolveInstanceOptions(o: InstanceOptions): Resolved {
  const r: Resolved = {
    objective: o.objective,
    maxSeqLength: o.maxSeqLength,
    seed: o.seed,
    maskedLmProb: o.maskedLmProb ?? 0.15,
    maxPredictionsPerSeq: o.maxPredictionsPerSeq ?? Math.min(20, o.maxSeqLength),
    ngram: o.ngram ?? 3,
    dupeFactor: o.dupeFactor ?? 1,
    shortSeqProb: o.shortSeqProb ?? 0.1,
  };
  const minLen = sentenceObjective(r.objective).name === 'none' ? 3 : 5;
  const intIn = (k: keyof Resolved, lo: number, hi: number): void => {
    const v = r[k] as number;
    if (!Number.isInteger(v) || v < lo || v > hi) throw new DataError(`${k} must be an integer in [${lo}, ${hi}], got ${String(v)}`);
  };
  intIn('maxSeqLength', minLen, 1 << 16);
  intIn('maxPredictionsPerSeq', 0, r.maxSeqLength);
  intIn('ngram', 1, 10);
  intIn('dupeFactor', 1, 1000);
  const prob = (k: 'maskedLmProb' | 'shortSeqProb'): void => {
    const v = r[k];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new DataError(`${k} must be a number in [0, 1], got ${String(v)}`);
  };
  prob('maskedLmProb');
  prob('shortSeqProb');
  try { checkSeed(r.seed); } catch (e) { throw new DataError((e as Error).message); }
  return r;
}

/**
 * Checks that a tokenized corpus can produce instances for the objective: it is not empty; for `sop`/`nsp` some
 * document has at least two sentences; for `nsp` there are at least two documents.
 */
export function checkCorpusForObjective(docs: readonly TokenizedDocument[], objective: SentenceObjective | SentencePairObjective, name = 'corpus'): void {
  if (docs.length === 0) throw new DataError(`${name} is empty: no document has a non-empty sentence`);
  sentenceObjective(objective).checkCorpus(docs, name);
}

/**
 * Generates pretraining instances with the semantics of ALBERT's `create_pretraining_data.py` (see the README for
 * every deviation). For each of `dupeFactor` passes the documents are visited in a seeded random order; each
 * (pass, document) pair has its own generator `Rng(seed, 'doc', pass, index)`, so output is byte-identical for
 * the same seed on any machine and a document's instances do not depend on the others'. Instances are yielded
 * lazily (no global shuffle: use {@link BatchIterator} or a shuffle buffer).
 */
export function* createPretrainingInstances(
  docs: readonly TokenizedDocument[],
  vocab: VocabInfo,
  options: InstanceOptions,
): Generator<PretrainingInstance> {
  const o = resolveInstanceOptions(options);
  checkCorpusForObjective(docs, o.objective);
  for (let pass = 0; pass < o.dupeFactor; pass++) {
    const order = new Rng(o.seed, 'order', pass).shuffle(Array.from({ length: docs.length }, (_, i) => i));
    for (const d of order) {
      const rng = new Rng(o.seed, 'doc', pass, d);
      yield* instancesFromDocument(docs, d, vocab, o, rng);
    }
  }
}

/** Reference `truncate_seq_pair`: drop from the front or back (p 0.5) of the longer segment until it fits. */
function truncateSeqPair(a: number[], b: number[], maxNumTokens: number, rng: Rng): void {
  while (a.length + b.length > maxNumTokens) {
    const t = a.length > b.length ? a : b;
    if (rng.float() < 0.5) t.shift();
    else t.pop();
  }
}

/** Instances of one document (reference `create_instances_from_document`, fixed; see README). */
export function instancesFromDocument(
  docs: readonly TokenizedDocument[],
  docIndex: number,
  vocab: VocabInfo,
  o: Resolved,
  rng: Rng,
): PretrainingInstance[] {
  const doc = docs[docIndex].sentences;
  const objective = sentenceObjective(o.objective);
  const single = objective.name === 'none';
  const maxNumTokens = o.maxSeqLength - (single ? 2 : 3);
  let target = maxNumTokens;
  if (rng.float() < o.shortSeqProb) target = rng.int(Math.min(2, maxNumTokens), maxNumTokens);

  const out: PretrainingInstance[] = [];
  let chunk: Int32Array[] = [];
  let length = 0;
  for (let i = 0; i < doc.length; i++) {
    chunk.push(doc[i]);
    length += doc[i].length;
    if (i !== doc.length - 1 && length < target) continue;
    const pair = objective.pair({ chunk, docs, docIndex, target, vocab, rng });
    chunk = [];
    length = 0;
    if (pair === null) continue;
    i -= pair.putBack;
    const { a, b } = pair;
    if (b === null) {
      while (a.length > o.maxSeqLength - 2) { if (rng.float() < 0.5) a.shift(); else a.pop(); }
    } else {
      truncateSeqPair(a, b, maxNumTokens, rng);
    }
    if (a.length === 0 || (b !== null && b.length === 0)) continue;
    const ids: number[] = [vocab.specialIds.cls, ...a, vocab.specialIds.sep];
    const types: number[] = new Array<number>(ids.length).fill(0);
    if (b !== null) {
      for (const t of b) { ids.push(t); types.push(1); }
      ids.push(vocab.specialIds.sep);
      types.push(1);
    }
    const m = createMaskedLmPredictions(ids, vocab, { maskedLmProb: o.maskedLmProb, maxPredictionsPerSeq: o.maxPredictionsPerSeq, ngram: o.ngram }, rng);
    out.push({ inputIds: m.inputIds, tokenTypeIds: types, maskedLmPositions: m.positions, maskedLmIds: m.labels, label: pair.label, doc: docs[docIndex].id, docB: pair.docB });
  }
  return out;
}
