/**
 * Parameter-name patterns excluded from weight decay (and, for LAMB, from layer adaptation), exactly as
 * google-research/albert `optimization.py` passes them: `["LayerNorm", "layer_norm", "bias"]`, matched with
 * `re.search` (a substring/regex match anywhere in the name).
 */
export const DEFAULT_DECAY_EXCLUSIONS: readonly RegExp[] = [/LayerNorm/, /layer_norm/, /bias/];

/** True when `name` matches none of `exclusions` (so weight decay applies). */
export function usesWeightDecay(name: string, weightDecayRate: number, exclusions: readonly RegExp[]): boolean {
  if (!weightDecayRate) return false;
  return !exclusions.some((r) => r.test(name));
}
