import {
  BatchIterator, type PretrainingInstance, type SentenceObjective, type TokenizedDocument, type VocabInfo,
  createPretrainingInstances, toBatchTensors,
} from '@albert-ts/data';
import type { PretrainingBatch } from '@albert-ts/core';
import { TrainerError } from '../errors.js';

/** Instance-creation settings shared by the training and evaluation sets. */
export interface InstanceSettings {
  readonly maxSeqLength: number;
  readonly maxPredictionsPerSeq: number;
  readonly maskedLmProb: number;
  readonly dupeFactor: number;
}

/** All instances of a tokenized corpus for one objective (materialised; the bundled corpora are small). */
export function buildInstances(
  docs: readonly TokenizedDocument[], vocab: VocabInfo, objective: SentenceObjective, seed: number, s: InstanceSettings,
  limit = Infinity,
): PretrainingInstance[] {
  const out: PretrainingInstance[] = [];
  for (const inst of createPretrainingInstances(docs, vocab, {
    objective, seed, maxSeqLength: s.maxSeqLength, maxPredictionsPerSeq: s.maxPredictionsPerSeq,
    maskedLmProb: s.maskedLmProb, dupeFactor: s.dupeFactor,
  })) {
    out.push(inst);
    if (out.length >= limit) break;
  }
  return out;
}

/** Endless stream of training batches whose position is a small JSON cursor. */
export class TrainingStream {
  private readonly iterator: BatchIterator<PretrainingInstance>;

  constructor(private readonly instances: PretrainingInstance[], batchSize: number, seed: number, private readonly s: InstanceSettings) {
    if (instances.length < batchSize) {
      throw new TrainerError(`batch-size: ${batchSize} is larger than the ${instances.length} training instances of the corpus`);
    }
    this.iterator = new BatchIterator(instances, { batchSize, seed });
  }

  /** Number of training instances (one epoch). */
  get size(): number {
    return this.instances.length;
  }

  /** The next batch as tensors (the caller disposes them). */
  next(): PretrainingBatch {
    return toBatchTensors(this.iterator.next(), this.s.maxSeqLength, this.s.maxPredictionsPerSeq);
  }

  /** Cursor to store in a checkpoint. */
  cursor(): unknown {
    return this.iterator.state();
  }

  /** Restores a stored cursor. */
  restore(cursor: unknown): void {
    this.iterator.restore(cursor as ReturnType<BatchIterator<PretrainingInstance>['state']>);
  }
}
