import type { AlbertConfig } from '../config/albert-config.js';
import { ConfigError } from '../errors.js';
import { hfGroupOf, type Part, type SharingStrategy } from '../interfaces/sharing.js';

function checkPositiveInt(field: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new ConfigError(field, v, 'must be a positive integer');
}

/**
 * HF's grouping (`num_hidden_groups` / `inner_group_num`): G groups, layer i uses group `floor(i / (L / G))` for
 * both attention and FFN, and each group application runs `innerGroupNum` AlbertLayers in sequence (each with its
 * own parameters; when omitted, the config's `inner_group_num` applies). G must divide L (checked when the encoder
 * is built). Named `grouped-G` (`grouped-GxI` with an explicit inner count).
 */
export function grouped(numHiddenGroups: number, innerGroupNum?: number): SharingStrategy {
  checkPositiveInt('num_hidden_groups', numHiddenGroups);
  if (innerGroupNum !== undefined) checkPositiveInt('inner_group_num', innerGroupNum);
  const check = (numLayers: number) => {
    if (numLayers % numHiddenGroups !== 0) {
      throw new ConfigError('num_hidden_groups', numHiddenGroups, `must divide num_hidden_layers=${numLayers}`);
    }
  };
  return {
    name: innerGroupNum === undefined ? `grouped-${numHiddenGroups}` : `grouped-${numHiddenGroups}x${innerGroupNum}`,
    ...(innerGroupNum === undefined ? {} : { innerGroupNum }),
    slots: (_part: Part, numLayers: number) => {
      check(numLayers);
      return numHiddenGroups;
    },
    slotOf: (_part: Part, layer: number, numLayers: number) => hfGroupOf(layer, numLayers, numHiddenGroups),
  };
}

/** The {@link grouped} strategy a name like `grouped-2` or `grouped-2x3` stands for; undefined for other names. */
export function groupedFromName(name: string): SharingStrategy | undefined {
  const m = /^grouped-(\d+)(?:x(\d+))?$/.exec(name);
  return m ? grouped(Number(m[1]), m[2] === undefined ? undefined : Number(m[2])) : undefined;
}

/**
 * The sharing a HF config describes, `grouped(num_hidden_groups)` with the config's `inner_group_num`; used when
 * no strategy is passed.
 */
export function configSharing(config: AlbertConfig): SharingStrategy {
  return grouped(config.numHiddenGroups);
}
