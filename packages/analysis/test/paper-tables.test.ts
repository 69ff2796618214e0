import type { Part, SharingStrategy } from '@albert-ts/core';
import { readJsonFixture } from '@albert-ts/testing';
import { describe, expect, it } from 'vitest';
import { paperTables } from '../src/index.js';

// Minimal strategies written from the paper's definitions (independent of @albert-ts/sharing).
const strat = (name: string, shared: (p: Part) => boolean): SharingStrategy => ({
  name,
  slots: (p, L) => (shared(p) ? 1 : L),
  slotOf: (p, i) => (shared(p) ? 0 : i),
});
const lookup = (n: 'all-shared' | 'shared-attention' | 'shared-ffn' | 'not-shared') =>
  ({
    'all-shared': strat(n, () => true),
    'shared-attention': strat(n, (p) => p === 'attention'),
    'shared-ffn': strat(n, (p) => p === 'ffn'),
    'not-shared': strat(n, () => false),
  })[n];

interface Counts { real: Record<string, { AlbertModel: number }> }

describe('paper parameter tables', () => {
  const tables = paperTables(lookup);
  const t = (id: string) => tables.find((x) => x.id === id)!;

  it('Table 1 ALBERT rows equal HF AlbertModel counts exactly', () => {
    const ref = readJsonFixture<Counts>('param-counts.json').real;
    const rows = t('table1').rows;
    for (const [name, label] of [['albert-base', 'ALBERT base'], ['albert-large', 'ALBERT large'], ['albert-xlarge', 'ALBERT xlarge'], ['albert-xxlarge', 'ALBERT xxlarge']]) {
      expect(rows.find((r) => r.model === label)!.exact).toBe(ref[name].AlbertModel);
    }
  });

  it('BERT base by hand: 23,436,288 embeddings + 12 x 7,087,872 layers + 590,592 pooler', () => {
    expect(t('table1').rows.find((r) => r.model === 'BERT base')!.exact).toBe(23_436_288 + 12 * 7_087_872 + 590_592);
  });

  it('flags exactly the cells the architecture does not support (xlarge 60M, xxlarge 235M)', () => {
    const flagged = tables.flatMap((x) => x.rows.filter((r) => r.flagged).map((r) => r.model));
    expect(flagged).toEqual(['ALBERT xlarge', 'ALBERT xxlarge']);
    expect(t('table1').notes.join(' ')).toContain('58.72M');
    expect(t('table1').notes.join(' ')).toContain('222.60M');
  });

  it('Tables 3 and 4 match the printed columns within 1.1M', () => {
    // Hand computation, not-shared E=64: embeddings (30000+512+2)*64 + 128, projection 64*768+768,
    // 12 layers of 7,087,872, pooler 590,592.
    expect(t('table3').rows[0].exact).toBe(30514 * 64 + 128 + 49_920 + 12 * 7_087_872 + 590_592);
    expect(t('table3').rows.map((r) => r.paper / 1e6)).toEqual([87, 89, 93, 108, 10, 12, 16, 31]);
    for (const r of t('table3').rows) expect(Math.abs(r.diff)).toBeLessThanOrEqual(1.1e6);
    const t4 = t('table4').rows.map((r) => r.paper / 1e6);
    expect(t4).toEqual([31, 83, 57, 108, 12, 64, 38, 89]);
    for (const r of t('table4').rows) expect(Math.abs(r.diff)).toBeLessThanOrEqual(1.1e6);
  });
});
