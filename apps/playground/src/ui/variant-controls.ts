// The controls of one variant: model size, E, sharing, objective, seed.
import {
  EMBEDDING_SIZES, MODEL_PRESETS, OBJECTIVE_CHOICES, type ObjectiveChoice, SHARING_CHOICES, type Variant,
} from '../variant.js';
import { h, select } from './dom.js';
import type { Slot } from '../protocol.js';

const OBJECTIVE_LABELS: Record<ObjectiveChoice, string> = { none: 'none (MLM only)', nsp: 'NSP (BERT)', sop: 'SOP (ALBERT)' };

export interface VariantControls {
  element: HTMLFieldSetElement;
  value(): Variant;
  set(v: Variant): void;
}

/** Builds the controls; `onChange` fires with the new variant after any change. */
export function variantControls(slot: Slot, initial: Variant, onChange: (v: Variant) => void): VariantControls {
  const preset = select(MODEL_PRESETS, initial.preset, String, { 'data-testid': `preset-${slot}` });
  const embedding = select(EMBEDDING_SIZES, initial.embeddingSize as (typeof EMBEDDING_SIZES)[number], String, { 'data-testid': `embedding-${slot}` });
  const sharing = select(SHARING_CHOICES, initial.sharing, String, { 'data-testid': `sharing-${slot}` });
  const objective = select(OBJECTIVE_CHOICES, initial.objective, (o: ObjectiveChoice) => OBJECTIVE_LABELS[o], { 'data-testid': `objective-${slot}` });
  const seed = h('input', { type: 'number', min: 0, step: 1, value: initial.seed, 'data-testid': `seed-${slot}` });
  const value = (): Variant => ({
    preset: preset.value as Variant['preset'],
    embeddingSize: Number(embedding.value),
    sharing: sharing.value as Variant['sharing'],
    objective: objective.value as ObjectiveChoice,
    seed: Math.max(0, Math.floor(Number(seed.value) || 0)),
  });
  for (const el of [preset, embedding, sharing, objective, seed]) el.addEventListener('change', () => onChange(value()));
  const row = (label: string, el: HTMLElement) => h('label', { class: 'row' }, h('span', {}, label), el);
  const element = h('fieldset', { class: `variant variant-${slot}` },
    h('legend', {}, `Variant ${slot}`),
    row('model size', preset),
    row('embedding size E', embedding),
    row('sharing', sharing),
    row('objective', objective),
    row('init seed', seed),
  );
  return {
    element,
    value,
    set(v) {
      preset.value = v.preset;
      embedding.value = String(v.embeddingSize);
      sharing.value = v.sharing;
      objective.value = v.objective;
      seed.value = String(v.seed);
    },
  };
}
