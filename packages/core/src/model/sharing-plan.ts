import { ConfigError } from '../errors.js';
import type { Part, SharingStrategy } from '../interfaces/sharing.js';

/** A sharing strategy evaluated for one encoder: slot counts and the slot of every layer, validated. */
export interface SharingPlan {
  readonly name: string;
  readonly numLayers: number;
  readonly innerGroupNum: number;
  readonly slots: Readonly<Record<Part, number>>;
  /** `slotOf[part][layer]`. */
  readonly slotOf: Readonly<Record<Part, readonly number[]>>;
}

const PARTS: readonly Part[] = ['attention', 'ffn'];

/**
 * Evaluates `strategy` for `numLayers` layers and checks it: slot counts are positive integers ≤ numLayers, every
 * slotOf is an integer in range, and every slot is used. Throws {@link ConfigError} (field `sharing`).
 */
export function planSharing(strategy: SharingStrategy, numLayers: number, configInner: number): SharingPlan {
  const inner = strategy.innerGroupNum ?? configInner;
  if (!Number.isInteger(inner) || inner < 1 || inner > 1024) {
    throw new ConfigError('inner_group_num', inner, `must be an integer in [1, 1024] (sharing "${strategy.name}")`);
  }
  const slots = {} as Record<Part, number>;
  const slotOf = {} as Record<Part, number[]>;
  for (const part of PARTS) {
    const n = strategy.slots(part, numLayers);
    if (!Number.isInteger(n) || n < 1 || n > numLayers) {
      throw new ConfigError('sharing', strategy.name, `slots('${part}') = ${n} must be an integer in [1, ${numLayers}]`);
    }
    const used = new Set<number>();
    const list: number[] = [];
    for (let layer = 0; layer < numLayers; layer++) {
      const s = strategy.slotOf(part, layer, numLayers);
      if (!Number.isInteger(s) || s < 0 || s >= n) {
        throw new ConfigError('sharing', strategy.name, `slotOf('${part}', ${layer}) = ${s} must be in [0, ${n})`);
      }
      used.add(s);
      list.push(s);
    }
    if (used.size !== n) {
      throw new ConfigError('sharing', strategy.name, `declares ${n} '${part}' slots but layers use ${used.size}`);
    }
    slots[part] = n;
    slotOf[part] = list;
  }
  return { name: strategy.name, numLayers, innerGroupNum: inner, slots, slotOf };
}

/**
 * The HF `num_hidden_groups` equivalent of a plan, or undefined when HF's grouping cannot express it
 * (attention and FFN grouped differently, or groups that are not HF's contiguous equal blocks).
 */
export function hfGroupsOf(plan: SharingPlan): number | undefined {
  const g = plan.slots.attention;
  if (plan.slots.ffn !== g || plan.numLayers % g !== 0) return undefined;
  for (let i = 0; i < plan.numLayers; i++) {
    const expected = Math.floor(i / (plan.numLayers / g));
    if (plan.slotOf.attention[i] !== expected || plan.slotOf.ffn[i] !== expected) return undefined;
  }
  return g;
}
