import { ConfigError, grouped, groupedFromName, type Part, type SharingStrategy } from '@albert-ts/core';

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

/** HF's grouping (`num_hidden_groups`, `inner_group_num`): defined in core, which builds a config's sharing with it. */
export { grouped };

const BY_NAME: Readonly<Record<string, () => SharingStrategy>> = {
  'all-shared': allShared, 'shared-attention': sharedAttention, 'shared-ffn': sharedFfn, 'not-shared': notShared,
};

/**
 * The names of the strategies: each is the `name` of the strategy it stands for, so `parseSharing(s.name)` gives
 * back `s` (`grouped-G[xI]` stands for `grouped-2`, `grouped-2x3`, ...). Usage texts are built from this list.
 */
export const SHARING_NAMES: readonly string[] = [...Object.keys(BY_NAME), 'grouped-G[xI]'];

/**
 * Short forms the `albert` CLI has always accepted, for the same strategies: `all`, `attention`, `ffn`, `none`, and
 * `groups:G[xI]` for `grouped-G[xI]`.
 */
export const SHARING_ALIASES: Readonly<Record<string, string>> = {
  all: 'all-shared', attention: 'shared-attention', ffn: 'shared-ffn', none: 'not-shared', 'groups:G[xI]': 'grouped-G[xI]',
};

/**
 * The strategy a name stands for: one of {@link SHARING_NAMES} (`all-shared`, `shared-attention`, `shared-ffn`,
 * `not-shared`, `grouped-G` or `grouped-GxI` with G groups of I inner layers) or one of {@link SHARING_ALIASES}.
 * Inverse of `strategy.name`. Throws {@link ConfigError} (field `sharing`).
 */
export function parseSharing(spec: string): SharingStrategy {
  const name = SHARING_ALIASES[spec] ?? spec.replace(/^groups:/, 'grouped-');
  const strategy = BY_NAME[name]?.() ?? groupedFromName(name);
  if (strategy === undefined) {
    throw new ConfigError('sharing', spec, `must be one of ${SHARING_NAMES.join(', ')} (or ${Object.keys(SHARING_ALIASES).join(', ')})`);
  }
  return strategy;
}
