import { ConfigError, hfGroupOf, type Part, type SharingStrategy } from '@albert-ts/core';

/** ALBERT default: one attention and one FFN parameter set used by every layer. */
export function allShared(): SharingStrategy {
  return { name: 'all-shared', slots: () => 1, slotOf: () => 0 };
}

/** Attention shared across layers; every layer has its own FFN (paper Table 4, "shared-attention"). */
export function sharedAttention(): SharingStrategy {
  return {
    name: 'shared-attention',
    slots: (part: Part, numLayers: number) => (part === 'attention' ? 1 : numLayers),
    slotOf: (part: Part, layer: number) => (part === 'attention' ? 0 : layer),
  };
}

/** FFN shared across layers; every layer has its own attention (paper Table 4, "shared-FFN"). */
export function sharedFfn(): SharingStrategy {
  return {
    name: 'shared-ffn',
    slots: (part: Part, numLayers: number) => (part === 'ffn' ? 1 : numLayers),
    slotOf: (part: Part, layer: number) => (part === 'ffn' ? 0 : layer),
  };
}

/** No sharing (BERT): every layer has its own parameters. */
export function notShared(): SharingStrategy {
  return { name: 'not-shared', slots: (_part: Part, numLayers: number) => numLayers, slotOf: (_p: Part, layer: number) => layer };
}

function checkPositiveInt(field: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new ConfigError(field, v, 'must be a positive integer');
}

/**
 * HF's grouping: `numHiddenGroups` groups, layer i uses group `floor(i / (L / G))` for both attention and FFN,
 * and each group application runs `innerGroupNum` AlbertLayers in sequence (each with its own parameters; when
 * omitted, the config's `inner_group_num` applies).
 * `G` must divide L (checked when the encoder is built).
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
    name: innerGroupNum === undefined ? `groups:${numHiddenGroups}` : `groups:${numHiddenGroups}x${innerGroupNum}`,
    ...(innerGroupNum === undefined ? {} : { innerGroupNum }),
    slots: (_part: Part, numLayers: number) => {
      check(numLayers);
      return numHiddenGroups;
    },
    slotOf: (_part: Part, layer: number, numLayers: number) => hfGroupOf(layer, numLayers, numHiddenGroups),
  };
}

/** Names accepted by {@link parseSharing} (the CLI's `--sharing`). */
export const SHARING_NAMES = ['all', 'attention', 'ffn', 'none', 'groups:G', 'groups:GxI'] as const;

/**
 * Parses a strategy name: `all` | `all-shared`, `attention` | `shared-attention`, `ffn` | `shared-ffn`,
 * `none` | `not-shared`, `groups:G` or `groups:GxI` (G groups, I inner layers). Throws {@link ConfigError}.
 */
export function parseSharing(spec: string): SharingStrategy {
  switch (spec) {
    case 'all': case 'all-shared': return allShared();
    case 'attention': case 'shared-attention': return sharedAttention();
    case 'ffn': case 'shared-ffn': return sharedFfn();
    case 'none': case 'not-shared': return notShared();
  }
  const m = /^groups:(\d+)(?:x(\d+))?$/.exec(spec);
  if (m) return grouped(Number(m[1]), m[2] === undefined ? undefined : Number(m[2]));
  throw new ConfigError('sharing', spec, `must be one of ${SHARING_NAMES.join(', ')}`);
}
