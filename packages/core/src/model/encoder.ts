import * as tf from '@tensorflow/tfjs-core';
import type { AlbertConfig } from '../config/albert-config.js';
import { AlbertAttention } from '../layers/attention.js';
import { AlbertFeedForward } from '../layers/feed-forward.js';
import type { ApplyContext } from '../params/apply-context.js';
import type { ParameterFactory } from '../params/parameter-store.js';
import type { SharingPlan } from './sharing-plan.js';

/** Canonical name prefix of inner layer `inner` in slot `slot` (HF's group/layer naming). */
export function layerPrefix(slot: number, inner: number): string {
  return `encoder.albert_layer_groups.${slot}.albert_layers.${inner}.`;
}

/**
 * The transformer stack. Allocates `slots(part)` × `innerGroupNum` parameter sets per part once; layer i, inner j
 * uses attention set `[slotOf('attention', i)][j]` and FFN set `[slotOf('ffn', i)][j]`, by reference.
 */
export class AlbertEncoder {
  /** `attention[slot][inner]`. */
  readonly attention: AlbertAttention[][];
  /** `ffn[slot][inner]`. */
  readonly ffn: AlbertFeedForward[][];

  constructor(params: ParameterFactory, config: AlbertConfig, readonly plan: SharingPlan) {
    const inner = plan.innerGroupNum;
    const range = (n: number) => Array.from({ length: n }, (_, i) => i);
    // Allocation order follows HF's state_dict order within a group: attention, then FFN, per inner layer.
    const maxSlots = Math.max(plan.slots.attention, plan.slots.ffn);
    this.attention = range(plan.slots.attention).map(() => []);
    this.ffn = range(plan.slots.ffn).map(() => []);
    for (let s = 0; s < maxSlots; s++) {
      for (let j = 0; j < inner; j++) {
        if (s < plan.slots.attention) {
          this.attention[s].push(new AlbertAttention(params, `${layerPrefix(s, j)}attention`, config));
        }
        if (s < plan.slots.ffn) this.ffn[s].push(new AlbertFeedForward(params, layerPrefix(s, j), config));
      }
    }
  }

  /**
   * @param hidden `[B, T, H]` projected embeddings.
   * @param mask additive `[B, 1, 1, T]`.
   * @param attentions when given, receives the attention probabilities `[B, heads, T, T]` of every attention block
   *   in order (L × innerGroupNum entries, as HF's flattened `attentions`).
   * @returns the output of each of the L layer applications (`[B, T, H]` each; inner layers not listed).
   */
  apply(hidden: tf.Tensor3D, mask: tf.Tensor4D, ctx: ApplyContext, attentions?: tf.Tensor4D[]): tf.Tensor3D[] {
    const outputs: tf.Tensor3D[] = [];
    let h = hidden;
    for (let i = 0; i < this.plan.numLayers; i++) {
      const attn = this.attention[this.plan.slotOf.attention[i]];
      const ffn = this.ffn[this.plan.slotOf.ffn[i]];
      for (let j = 0; j < this.plan.innerGroupNum; j++) {
        if (attentions) attentions.push(attn[j].probabilities(h, mask));
        h = ffn[j].apply(attn[j].apply(h, mask, ctx));
      }
      outputs.push(h);
    }
    return outputs;
  }
}
