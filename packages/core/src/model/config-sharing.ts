import type { AlbertConfig } from '../config/albert-config.js';
import { hfGroupOf, type SharingStrategy } from '../interfaces/sharing.js';

/**
 * The sharing a HF config describes: `num_hidden_groups` groups (layer i uses group floor(i / (L/G))), each
 * applying `inner_group_num` layers; attention and FFN follow the same groups. Used when no strategy is passed.
 * `@albert-ts/sharing`'s `grouped()` is the public equivalent.
 */
export function configSharing(config: AlbertConfig): SharingStrategy {
  const g = config.numHiddenGroups;
  return {
    name: g === 1 ? 'all-shared' : g === config.numHiddenLayers ? 'not-shared' : `groups:${g}`,
    innerGroupNum: config.innerGroupNum,
    slots: () => g,
    slotOf: (_part, layer, numLayers) => hfGroupOf(layer, numLayers, g),
  };
}
