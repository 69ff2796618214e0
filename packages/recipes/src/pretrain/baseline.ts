import type { PretrainingInstance } from '@albert-ts/data';

/** The most-frequent-masked-token baseline of a set of MLM targets (see {@link mlmMajorityBaseline}). */
export interface MlmBaseline {
  /** The most frequent target id (the smallest id among ties); -1 when there is no target. */
  readonly tokenId: number;
  /** How often it occurs among the targets. */
  readonly count: number;
  /** Number of MLM targets. */
  readonly total: number;
  /** `count / total` (0 without targets): the MLM accuracy of always predicting `tokenId`. */
  readonly rate: number;
}

/**
 * The accuracy a model gets by always predicting the most frequent masked token of `instances` (counted over their
 * `maskedLmIds`, the targets `evaluatePretraining` scores MLM accuracy on). A model whose held-out MLM accuracy is
 * not above this rate has learned unigram statistics at best.
 */
export function mlmMajorityBaseline(instances: readonly PretrainingInstance[]): MlmBaseline {
  const counts = new Map<number, number>();
  let total = 0;
  for (const inst of instances) {
    for (const id of inst.maskedLmIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    total += inst.maskedLmIds.length;
  }
  let tokenId = -1;
  let count = 0;
  for (const [id, c] of counts) if (c > count || (c === count && id < tokenId)) { tokenId = id; count = c; }
  return { tokenId, count, total, rate: total === 0 ? 0 : count / total };
}
