import { DataError } from './errors.js';
import type { PretrainingInstance } from './instances.js';

/** A batch as flat typed arrays, row-major, static shapes `[B, T]` and `[B, P]` (see {@link toBatchTensors}). */
export interface PretrainingBatchArrays {
  batchSize: number;
  maxSeqLength: number;
  maxPredictions: number;
  /** int32 [B*T], padded with `padId` */
  inputIds: Int32Array;
  /** int32 [B*T], 0 on padding */
  tokenTypeIds: Int32Array;
  /** int32 [B*T], 1 on real tokens, 0 on padding */
  attentionMask: Int32Array;
  /** int32 [B*P], 0 on padding slots */
  mlmPositions: Int32Array;
  /** int32 [B*P], 0 on padding slots */
  mlmIds: Int32Array;
  /** float32 [B*P], 1 on real predictions, 0 on padding slots */
  mlmWeights: Float32Array;
  /** int32 [B]; SOP/NSP label 0/1, or -1 where the instance has no sentence label (objective `none`) */
  sentenceLabel: Int32Array;
}

/**
 * Pads instances into fixed-shape arrays (the reference's `write_instance_to_example_files` padding: ids, mask,
 * types and prediction slots padded with 0, weight 0). Throws {@link DataError} if an instance is longer than
 * `maxSeqLength` or has more than `maxPredictions` targets.
 */
export function toBatchArrays(instances: readonly PretrainingInstance[], maxSeqLength: number, maxPredictions: number, padId = 0): PretrainingBatchArrays {
  if (!Number.isInteger(maxSeqLength) || maxSeqLength < 1) throw new DataError(`maxSeqLength must be a positive integer, got ${maxSeqLength}`);
  if (!Number.isInteger(maxPredictions) || maxPredictions < 0) throw new DataError(`maxPredictions must be a non-negative integer, got ${maxPredictions}`);
  if (instances.length === 0) throw new DataError('cannot make a batch of 0 instances');
  const B = instances.length, T = maxSeqLength, P = maxPredictions;
  const out: PretrainingBatchArrays = {
    batchSize: B, maxSeqLength: T, maxPredictions: P,
    inputIds: new Int32Array(B * T).fill(padId), tokenTypeIds: new Int32Array(B * T), attentionMask: new Int32Array(B * T),
    mlmPositions: new Int32Array(B * P), mlmIds: new Int32Array(B * P), mlmWeights: new Float32Array(B * P),
    sentenceLabel: new Int32Array(B),
  };
  instances.forEach((x, b) => {
    const n = x.inputIds.length;
    if (n > T) throw new DataError(`instance ${b} (doc ${x.doc}) has ${n} tokens, more than maxSeqLength ${T}`);
    if (x.tokenTypeIds.length !== n) throw new DataError(`instance ${b} (doc ${x.doc}): tokenTypeIds length ${x.tokenTypeIds.length} != inputIds length ${n}`);
    const p = x.maskedLmPositions.length;
    if (p > P) throw new DataError(`instance ${b} (doc ${x.doc}) has ${p} masked positions, more than maxPredictions ${P}`);
    if (x.maskedLmIds.length !== p) throw new DataError(`instance ${b} (doc ${x.doc}): maskedLmIds length ${x.maskedLmIds.length} != maskedLmPositions length ${p}`);
    for (let t = 0; t < n; t++) {
      out.inputIds[b * T + t] = x.inputIds[t];
      out.tokenTypeIds[b * T + t] = x.tokenTypeIds[t];
      out.attentionMask[b * T + t] = 1;
    }
    for (let j = 0; j < p; j++) {
      const pos = x.maskedLmPositions[j];
      if (!Number.isInteger(pos) || pos < 0 || pos >= n) throw new DataError(`instance ${b} (doc ${x.doc}): masked position ${pos} outside [0, ${n})`);
      out.mlmPositions[b * P + j] = pos;
      out.mlmIds[b * P + j] = x.maskedLmIds[j];
      out.mlmWeights[b * P + j] = 1;
    }
    out.sentenceLabel[b] = x.label === null ? -1 : x.label;
  });
  return out;
}
