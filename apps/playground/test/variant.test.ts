// Variants: the analytic counts the page shows equal the live variables of the model the worker builds, for every
// sharing choice and objective; the CLI command lines name the right options.
import { describe, expect, it } from 'vitest';
import { countParams, createPretrainingModel } from '@albert-ts/core';
import { factorized } from '@albert-ts/embeddings';
import { parseSharing, SHARING_ALIASES, SHARING_NAMES } from '@albert-ts/sharing';
import { useTestBackend } from '@albert-ts/testing';
import {
  cliCommands, OBJECTIVE_CHOICES, SHARING_CHOICES, sharingChoice, type Variant, variantConfig, variantCounts,
  variantObjectives, variantSharing,
} from '../src/variant.js';

describe('variants', () => {
  it('offer the sharing strategies by their canonical names (SHARING_NAMES), never the aliases', () => {
    const fixed = SHARING_NAMES.filter((n) => !n.includes('['));
    expect(SHARING_CHOICES.filter((c) => !c.startsWith('grouped-'))).toEqual(fixed);
    for (const choice of SHARING_CHOICES) {
      expect(parseSharing(choice).name, choice).toBe(choice);
      expect(Object.keys(SHARING_ALIASES)).not.toContain(choice);
    }
    expect(SHARING_CHOICES.filter((c) => c.startsWith('grouped-')).every((c) => /^grouped-\d+(x\d+)?$/.test(c))).toBe(true);
  });

  it('read the sharing of older exports (aliases) as the canonical choice, and refuse unknown names', () => {
    expect(sharingChoice('all')).toBe('all-shared');
    expect(sharingChoice('groups:2x2')).toBe('grouped-2x2');
    expect(sharingChoice('shared-ffn')).toBe('shared-ffn');
    expect(sharingChoice('grouped-3')).toBeUndefined();
    expect(sharingChoice('everything')).toBeUndefined();
    expect(sharingChoice(7)).toBeUndefined();
  });

  it('count exactly the parameters of the model they build (every sharing choice and objective)', async () => {
    await useTestBackend('cpu');
    for (const sharing of SHARING_CHOICES) {
      for (const objective of OBJECTIVE_CHOICES) {
        const v: Variant = { preset: 'albert-tiny', embeddingSize: 32, sharing, objective, seed: 1 };
        const model = createPretrainingModel(variantConfig(v), {
          embeddings: factorized(), sharing: variantSharing(v), objectives: variantObjectives(v), seed: v.seed,
        });
        try {
          expect(variantCounts(v).total, `${sharing} ${objective}`).toBe(model.countParameters());
        } finally {
          model.dispose();
        }
      }
    }
  });

  it('gives `albert params` lines whose --head pretraining count is the MLM + SOP/NSP model', () => {
    for (const objective of ['sop', 'nsp'] as const) {
      const v: Variant = { preset: 'albert-mini', embeddingSize: 128, sharing: 'grouped-2x2', objective, seed: 0 };
      const cmds = cliCommands(v);
      expect(cmds.map((c) => c.head)).toEqual(['none', 'pretraining']);
      expect(cmds[1]!.argv).toEqual(['params', '--config', 'albert-mini', '--embedding-size', '128', '--sharing', 'grouped-2x2', '--head', 'pretraining']);
      expect(countParams(variantConfig(v), { sharing: variantSharing(v), head: 'pretraining' }).total).toBe(variantCounts(v).total);
    }
    expect(cliCommands({ preset: 'albert-tiny', embeddingSize: 64, sharing: 'all-shared', objective: 'none', seed: 0 }).map((c) => c.head)).toEqual(['none']);
  });
});
