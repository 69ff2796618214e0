import { describe, expect, it } from 'vitest';
import { configFromHf, countParams, presetConfig, type SharingStrategy } from '../src/index.js';
import { readJsonFixture } from '@albert-ts/testing';

interface RealEntry {
  config: Record<string, unknown>;
  AlbertModel: number;
  AlbertForPreTraining: number;
  breakdown_AlbertModel: { embeddings: number; encoder: number; pooler: number };
}
const counts = readJsonFixture<{ real: Record<string, RealEntry>; fixtures: Record<string, { AlbertModel: number; AlbertForPreTraining: number }> }>('param-counts.json');

// Strategies written out here (independently of @albert-ts/sharing) for the paper's Table 4.
const all: SharingStrategy = { name: 'all', slots: () => 1, slotOf: () => 0 };
const none: SharingStrategy = { name: 'none', slots: (_p, l) => l, slotOf: (_p, i) => i };
const attn: SharingStrategy = { name: 'attention', slots: (p, l) => (p === 'attention' ? 1 : l), slotOf: (p, i) => (p === 'attention' ? 0 : i) };
const ffn: SharingStrategy = { name: 'ffn', slots: (p, l) => (p === 'ffn' ? 1 : l), slotOf: (p, i) => (p === 'ffn' ? 0 : i) };

describe('countParams (analytic)', () => {
  for (const [name, entry] of Object.entries(counts.real)) {
    it(`${name} equals HF exactly (AlbertModel, AlbertForPreTraining, breakdown)`, () => {
      const config = configFromHf({ ...entry.config, hidden_act: 'gelu_new' });
      const base = countParams(config, { head: 'none' });
      expect(base.total).toBe(entry.AlbertModel);
      expect({ embeddings: base.embeddings, encoder: base.encoder, pooler: base.pooler }).toEqual(entry.breakdown_AlbertModel);
      expect(base.heads).toBe(0);
      expect(countParams(config, { head: 'pretraining' }).total).toBe(entry.AlbertForPreTraining);
      // The preset of the same name gives the same counts.
      expect(countParams(presetConfig(name), { head: 'pretraining' }).total).toBe(entry.AlbertForPreTraining);
    });
  }

  for (const name of Object.keys(counts.fixtures)) {
    it(`fixture ${name} equals HF exactly`, () => {
      const f = readJsonFixture<{ config: Record<string, unknown>; param_count: number; param_count_albert_model: number }>('hf-albert', `${name}.json`);
      const config = configFromHf(f.config);
      expect(countParams(config).total).toBe(counts.fixtures[name].AlbertModel);
      expect(countParams(config).total).toBe(f.param_count_albert_model);
      expect(countParams(config, { head: 'pretraining' }).total).toBe(f.param_count);
    });
  }

  // ALBERT paper (Lan et al. 2020), ALBERT-base H=768 L=12, V=30000; parameters in millions.
  const table3: Array<[number, SharingStrategy, number]> = [
    [64, none, 87], [128, none, 89], [256, none, 93], [768, none, 108],
    [64, all, 10], [128, all, 12], [256, all, 16], [768, all, 31],
  ];
  const table4: Array<[number, SharingStrategy, number]> = [
    [768, all, 31], [768, attn, 83], [768, ffn, 57], [768, none, 108],
    [128, all, 12], [128, attn, 64], [128, ffn, 38], [128, none, 89],
  ];
  it.each([...table3, ...table4].map(([e, s, m]) => [e, s.name, m, s] as const))(
    'paper: E=%i %s ≈ %iM within 1.1M (projection auto)', (e, _n, millions, sharing) => {
      const c = countParams(presetConfig('albert-base'), { embeddingSize: e, sharing, projection: 'auto' });
      expect(Math.abs(c.total - millions * 1e6)).toBeLessThan(1.1e6);
    });

  it('not-shared E=768 with projection auto is 109,081,344 (BERT-base layout, V=30000)', () => {
    expect(countParams(presetConfig('bert-base'), { projection: 'auto' }).total).toBe(109_081_344);
    // HF always has the E→H projection: +768*768+768.
    expect(countParams(presetConfig('bert-base'), { projection: 'always' }).total).toBe(109_081_344 + 768 * 768 + 768);
  });

  it('counts inner groups and HF groups', () => {
    const c = presetConfig('albert-base', { numHiddenGroups: 3, innerGroupNum: 2 });
    const one = countParams(presetConfig('albert-base'));
    const layer = one.encoder - (128 * 768 + 768);
    expect(countParams(c).encoder - (128 * 768 + 768)).toBe(6 * layer);
  });
});
