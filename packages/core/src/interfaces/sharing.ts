/** The two parameter blocks of a transformer layer that a sharing strategy maps to slots. */
export type Part = 'attention' | 'ffn';

/**
 * Maps encoder layers to parameter slots without touching tensors. The encoder allocates `slots(part, L)`
 * parameter sets per part once and indexes them by `slotOf(part, layer, L)`, so layers with the same slot share
 * the very same variables (by reference).
 *
 * `attention` = query/key/value/dense + attention LayerNorm; `ffn` = ffn, ffn_output + full-layer LayerNorm.
 */
export interface SharingStrategy {
  /** Recorded in run logs, reports and saved configs. */
  readonly name: string;
  /** Number of distinct parameter sets for `part` in an encoder of `numLayers` layers. */
  slots(part: Part, numLayers: number): number;
  /** Slot (0 ≤ slot < slots(part)) used by `layer` (0 ≤ layer < numLayers). */
  slotOf(part: Part, layer: number, numLayers: number): number;
  /**
   * AlbertLayers run in sequence per layer application (HF `inner_group_num`); each inner position has its own
   * parameters within a slot. When absent, the config's `innerGroupNum` applies.
   */
  readonly innerGroupNum?: number;
}

/** HF's group of `layer`: `floor(layer / (numLayers / numGroups))` (modeling_albert.AlbertTransformer). */
export function hfGroupOf(layer: number, numLayers: number, numGroups: number): number {
  return Math.floor(layer / (numLayers / numGroups));
}
