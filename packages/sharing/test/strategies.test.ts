import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  ConfigError, configSharing, countParams, createAlbert, hfGroupsOf, type Part, planSharing, presetConfig,
  type SharingStrategy,
} from '@albert-ts/core';
import { factorized } from '@albert-ts/embeddings';
import { expectNoLeaks } from '@albert-ts/testing';
import {
  SHARING_ALIASES, SHARING_NAMES, allShared, grouped, notShared, parseSharing, sharedAttention, sharedFfn,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const table = (s: SharingStrategy, part: Part, L: number) => Array.from({ length: L }, (_, i) => s.slotOf(part, i, L));

describe('built-in strategies', () => {
  it('map layers to slots as the paper describes', () => {
    const L = 4;
    expect([allShared().slots('attention', L), table(allShared(), 'ffn', L)]).toEqual([1, [0, 0, 0, 0]]);
    expect([notShared().slots('ffn', L), table(notShared(), 'attention', L)]).toEqual([4, [0, 1, 2, 3]]);
    expect(table(sharedAttention(), 'attention', L)).toEqual([0, 0, 0, 0]);
    expect(table(sharedAttention(), 'ffn', L)).toEqual([0, 1, 2, 3]);
    expect(table(sharedFfn(), 'ffn', L)).toEqual([0, 0, 0, 0]);
    expect(table(sharedFfn(), 'attention', L)).toEqual([0, 1, 2, 3]);
  });

  it('grouped reproduces HF: layer i uses group floor(i / (L / G))', () => {
    // Written out from modeling_albert.AlbertTransformer: group_idx = int(i / (L / G)).
    expect(table(grouped(2), 'attention', 4)).toEqual([0, 0, 1, 1]);
    expect(table(grouped(3), 'ffn', 12)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(table(grouped(4), 'ffn', 12)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    expect(table(grouped(12), 'attention', 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(grouped(2, 3).innerGroupNum).toBe(3);
    expect(grouped(2).innerGroupNum).toBeUndefined();
  });

  it('grouped rejects groups that do not divide L and bad arguments', () => {
    expect(() => grouped(5).slots('ffn', 12)).toThrow(/num_hidden_groups=5 must divide num_hidden_layers=12/);
    expect(() => grouped(0)).toThrow(ConfigError);
    expect(() => grouped(2, 1.5)).toThrow(/inner_group_num=1.5/);
  });

  it('one vocabulary: every strategy name parses back to the same strategy', () => {
    for (const s of [allShared(), sharedAttention(), sharedFfn(), notShared(), grouped(2), grouped(3, 2)]) {
      const back = parseSharing(s.name);
      expect(back.name).toBe(s.name);
      expect(back.innerGroupNum).toBe(s.innerGroupNum);
      for (const part of ['attention', 'ffn'] as const) expect(table(back, part, 12)).toEqual(table(s, part, 12));
    }
    expect(grouped(2).name).toBe('grouped-2');
    expect(grouped(2, 3).name).toBe('grouped-2x3');
    // every listed name (G/I filled in) and alias parses
    for (const n of [...SHARING_NAMES, ...Object.keys(SHARING_ALIASES)]) expect(() => parseSharing(n.replace('G[xI]', '2x1'))).not.toThrow();
  });

  it('accepts the CLI short forms as aliases', () => {
    expect(parseSharing('all').name).toBe('all-shared');
    expect(parseSharing('attention').name).toBe('shared-attention');
    expect(parseSharing('ffn').name).toBe('shared-ffn');
    expect(parseSharing('none').name).toBe('not-shared');
    expect(parseSharing('groups:2').name).toBe('grouped-2');
    expect(table(parseSharing('groups:2'), 'ffn', 4)).toEqual([0, 0, 1, 1]);
    expect(parseSharing('groups:2x3').innerGroupNum).toBe(3);
    expect(() => parseSharing('sometimes')).toThrow(/sharing="sometimes" must be one of all-shared, shared-attention, shared-ffn, not-shared, grouped-G\[xI\]/);
    expect(() => parseSharing('grouped-x')).toThrow(ConfigError);
  });

  it("a config's sharing is HF's grouping", () => {
    const c = presetConfig('albert-base', { numHiddenGroups: 3, innerGroupNum: 2 });
    expect(configSharing(c).name).toBe('grouped-3');
    expect(planSharing(configSharing(c), 12, c.innerGroupNum)).toEqual({ ...planSharing(grouped(3, 2), 12, 2), name: 'grouped-3' });
  });

  it('HF can express grouped strategies but not partial sharing', () => {
    expect(hfGroupsOf(planSharing(grouped(3), 12, 1))).toBe(3);
    expect(hfGroupsOf(planSharing(allShared(), 12, 1))).toBe(1);
    expect(hfGroupsOf(planSharing(notShared(), 12, 1))).toBe(12);
    expect(hfGroupsOf(planSharing(sharedAttention(), 12, 1))).toBeUndefined();
    expect(hfGroupsOf(planSharing(sharedFfn(), 12, 1))).toBeUndefined();
  });
});

describe('strategies in a model', () => {
  const config = presetConfig('albert-tiny', { vocabSize: 40, numHiddenLayers: 4, maxPositionEmbeddings: 16 });

  it.each([
    ['all-shared', allShared(), 1, 1], ['shared-attention', sharedAttention(), 1, 4], ['shared-ffn', sharedFfn(), 4, 1],
    ['not-shared', notShared(), 4, 4], ['grouped-2', grouped(2), 2, 2],
  ] as const)('%s allocates slots once and shares them by reference', (_n, sharing, attnSlots, ffnSlots) => {
    const model = createAlbert(config, { embeddings: factorized(), sharing });
    expect(model.encoder.attention).toHaveLength(attnSlots);
    expect(model.encoder.ffn).toHaveLength(ffnSlots);
    // Layers with the same slot use the very same objects.
    const used = table(sharing, 'attention', 4).map((s) => model.encoder.attention[s][0]);
    expect(new Set(used).size).toBe(attnSlots);
    expect(model.countParameters()).toBe(countParams(config, { sharing }).total);
    model.dispose();
  });

  it('a user-defined strategy works in about ten lines', () => {
    // Share attention between neighbouring pairs of layers (0-1, 2-3), FFN everywhere.
    const pairedAttention: SharingStrategy = {
      name: 'paired-attention',
      slots: (part, numLayers) => (part === 'attention' ? Math.ceil(numLayers / 2) : 1),
      slotOf: (part, layer) => (part === 'attention' ? Math.floor(layer / 2) : 0),
    };
    const model = createAlbert(config, { embeddings: factorized(), sharing: pairedAttention });
    expect(model.encoder.attention).toHaveLength(2);
    expect(model.encoder.ffn).toHaveLength(1);
    expect(model.sharingPlan.slotOf.attention).toEqual([0, 0, 1, 1]);
    const h = config.hiddenSize;
    const attention = 4 * (h * h + h) + 2 * h;
    expect(model.countParameters() - countParams(config, { sharing: allShared() }).total).toBe(attention);
    expect(model.countParameters()).toBe(countParams(config, { sharing: pairedAttention }).total);
    const out = tf.tidy(() => model.apply({ inputIds: tf.tensor2d([[2, 5, 6, 3]], undefined, 'int32') }).lastHiddenState.shape);
    expect(out).toEqual([1, 4, h]);
    model.dispose();
  });

  it('rejects inconsistent strategies with a ConfigError before allocating anything', () => {
    expectNoLeaks(() => {
      const outOfRange: SharingStrategy = { name: 'bad', slots: () => 2, slotOf: () => 2 };
      const unused: SharingStrategy = { name: 'unused', slots: () => 3, slotOf: () => 0 };
      const tooMany: SharingStrategy = { name: 'many', slots: () => 9, slotOf: (_p, i) => i };
      expect(() => createAlbert(config, { embeddings: factorized(), sharing: outOfRange })).toThrow(/slotOf\('attention', 0\) = 2/);
      expect(() => createAlbert(config, { embeddings: factorized(), sharing: unused })).toThrow(/declares 3 'attention' slots but layers use 1/);
      expect(() => countParams(config, { sharing: tooMany })).toThrow(ConfigError);
    });
  });
});
