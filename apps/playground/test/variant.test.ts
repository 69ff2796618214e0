// Variants: the analytic counts the page shows equal the live variables of the model the worker builds, for every
// sharing choice and objective; the CLI command lines name the right options.
import { describe, expect, it } from 'vitest';
import { countParams, createPretrainingModel } from '@albert-ts/core';
import { factorized } from '@albert-ts/embeddings';
import { useTestBackend } from '@albert-ts/testing';
import {
  cliCommands, OBJECTIVE_CHOICES, SHARING_CHOICES, type Variant, variantConfig, variantCounts, variantObjectives,
  variantSharing,
} from '../src/variant.js';

describe('variants', () => {
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
      const v: Variant = { preset: 'albert-mini', embeddingSize: 128, sharing: 'groups:2x2', objective, seed: 0 };
      const cmds = cliCommands(v);
      expect(cmds.map((c) => c.head)).toEqual(['none', 'pretraining']);
      expect(cmds[1]!.argv).toEqual(['params', '--config', 'albert-mini', '--embedding-size', '128', '--sharing', 'groups:2x2', '--head', 'pretraining']);
      expect(countParams(variantConfig(v), { sharing: variantSharing(v), head: 'pretraining' }).total).toBe(variantCounts(v).total);
    }
    expect(cliCommands({ preset: 'albert-tiny', embeddingSize: 64, sharing: 'all', objective: 'none', seed: 0 }).map((c) => c.head)).toEqual(['none']);
  });
});
