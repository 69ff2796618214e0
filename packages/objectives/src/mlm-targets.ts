import { ConfigError } from '@albert-ts/core';

/** Sparse MLM targets (the `mlmPositions` / `mlmIds` / `mlmWeights` of a batch) as plain arrays `[B][P]`. */
export interface MlmTargets {
  readonly positions: number[][];
  readonly ids: number[][];
  readonly weights: number[][];
}

/**
 * Converts HF-style dense MLM labels `[B][T]` (token id at a target, `-100` elsewhere) into sparse targets padded
 * to `maxPredictions` (default: the largest count in the batch) with position 0, id 0, weight 0. The loss over
 * these targets equals HF's CE mean over labels ≠ -100.
 */
export function mlmTargetsFromLabels(labels: readonly (readonly number[])[], maxPredictions?: number): MlmTargets {
  const perRow = labels.map((row) => row.flatMap((id, pos) => (id === -100 ? [] : [[pos, id] as const])));
  const p = maxPredictions ?? Math.max(1, ...perRow.map((r) => r.length));
  const positions: number[][] = [];
  const ids: number[][] = [];
  const weights: number[][] = [];
  perRow.forEach((row, b) => {
    if (row.length > p) throw new ConfigError('maxPredictions', p, `is smaller than the ${row.length} targets of row ${b}`);
    positions.push([...row.map(([pos]) => pos), ...new Array<number>(p - row.length).fill(0)]);
    ids.push([...row.map(([, id]) => id), ...new Array<number>(p - row.length).fill(0)]);
    weights.push([...row.map(() => 1), ...new Array<number>(p - row.length).fill(0)]);
  });
  return { positions, ids, weights };
}
