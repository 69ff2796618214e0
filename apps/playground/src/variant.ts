// A playground variant (the controls' choices) and everything derived from it without tensors: the AlbertConfig,
// the sharing strategy, the objective heads, the exact parameter breakdown and the equivalent `albert params`
// command lines. Shared by the page (instant parameter counts) and the worker (building the model).
import { type AlbertConfig, countParams, type Objective, type ParamCounts, presetConfig, type SharingStrategy } from '@albert-ts/core';
import { mlm, nsp, sop } from '@albert-ts/objectives';
import { parseSharing } from '@albert-ts/sharing';

/** Tiny presets of `@albert-ts/core` the playground offers (V = 2,000 = the bundled vocabulary). */
export const MODEL_PRESETS = ['albert-tiny', 'albert-mini'] as const;
export type ModelPreset = (typeof MODEL_PRESETS)[number];

/**
 * Sharing strategies, by `@albert-ts/sharing`'s canonical names (`SHARING_NAMES`, each the `name` of the strategy
 * it stands for, and what `albert params --sharing` takes): the four of the paper's Table 4 plus HF's groups.
 */
export const SHARING_CHOICES = ['all-shared', 'shared-attention', 'shared-ffn', 'not-shared', 'grouped-2', 'grouped-2x2'] as const;
export type SharingChoice = (typeof SHARING_CHOICES)[number];

/**
 * The choice a stored sharing name stands for: a canonical name, or one of the aliases an older playground wrote
 * into exported config.json files (`all`, `groups:2`, …); undefined for anything else.
 */
export function sharingChoice(name: unknown): SharingChoice | undefined {
  if (typeof name !== 'string') return undefined;
  try {
    const canonical = parseSharing(name).name;
    return (SHARING_CHOICES as readonly string[]).includes(canonical) ? canonical as SharingChoice : undefined;
  } catch {
    return undefined;
  }
}

/** Inter-sentence objective next to MLM. */
export const OBJECTIVE_CHOICES = ['none', 'nsp', 'sop'] as const;
export type ObjectiveChoice = (typeof OBJECTIVE_CHOICES)[number];

/** Embedding sizes offered (the paper's Table 3 uses 64, 128, 256, 768). */
export const EMBEDDING_SIZES = [16, 32, 64, 128, 256] as const;

/** What the controls choose. */
export interface Variant {
  preset: ModelPreset;
  embeddingSize: number;
  sharing: SharingChoice;
  objective: ObjectiveChoice;
  /** Initialisation seed. */
  seed: number;
}

export const DEFAULT_VARIANT: Variant = { preset: 'albert-tiny', embeddingSize: 64, sharing: 'all-shared', objective: 'sop', seed: 0 };

/** The model configuration of a variant (throws ConfigError for an invalid combination). */
export function variantConfig(v: Variant): AlbertConfig {
  return presetConfig(v.preset, { embeddingSize: v.embeddingSize });
}

export function variantSharing(v: Variant): SharingStrategy {
  return parseSharing(v.sharing);
}

/** MLM plus the inter-sentence head (none, NSP or SOP). */
export function variantObjectives(v: Variant): Objective[] {
  return v.objective === 'none' ? [mlm()] : [mlm(), v.objective === 'sop' ? sop() : nsp()];
}

/** Exact parameter breakdown (core's countParams with the variant's heads). */
export function variantCounts(v: Variant): ParamCounts {
  return countParams(variantConfig(v), { sharing: variantSharing(v), objectives: variantObjectives(v) });
}

/** Short label, e.g. `albert-tiny E=64 all-shared +SOP`. */
export function variantLabel(v: Variant): string {
  const obj = v.objective === 'none' ? 'MLM only' : `+${v.objective.toUpperCase()}`;
  return `${v.preset} E=${v.embeddingSize} ${v.sharing} ${obj}`;
}

/**
 * `albert params` invocations that print this variant's counts: the encoder (`--head none`, HF AlbertModel) and,
 * with an inter-sentence objective, the whole pretraining model (`--head pretraining`: MLM + a 2-way classifier,
 * the same size for NSP and SOP). MLM alone has no `--head` value.
 */
export function cliCommands(v: Variant): { head: 'none' | 'pretraining'; argv: string[] }[] {
  const base = ['params', '--config', v.preset, '--embedding-size', String(v.embeddingSize), '--sharing', v.sharing];
  const out: { head: 'none' | 'pretraining'; argv: string[] }[] = [{ head: 'none', argv: [...base, '--head', 'none'] }];
  if (v.objective !== 'none') out.push({ head: 'pretraining', argv: [...base, '--head', 'pretraining'] });
  return out;
}
