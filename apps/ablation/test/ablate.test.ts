import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Engine, type MeasuredRun, ablate } from '../src/ablate.js';
import { AblationError } from '../src/errors.js';
import { PRESETS, expandGrid } from '../src/presets.js';
import { validateResults } from '../src/results.js';
import { makeRun } from './helpers/make-run.js';

function fakeEngine(failOn?: string): Engine & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    backend: 'fake',
    versions: () => ({ 'albert-ts': '0', ablation: '0', 'tfjs-core': '4.22.0', node: process.version, backend: 'fake' }),
    paperTables: () => [],
    prepare: async () => undefined,
    async run(spec, ctx) {
      if (spec.key === failOn) throw new Error('killed');
      calls.push(spec.key);
      for (let s = 1; s <= ctx.preset.training.steps; s++) ctx.onStep(s, { loss: 1 });
      const { id: _i, study: _s, label: _l, ...m } = makeRun({ study: spec.study, E: spec.embeddingSize, sharing: spec.sharing, objective: spec.objective });
      return m as MeasuredRun;
    },
  };
}

const sink = { isTTY: false, write: () => true };

describe('ablate grid', () => {
  it('expands the demo grid and trains shared configurations once', () => {
    const specs = expandGrid(PRESETS.demo);
    expect(specs.filter((s) => s.study === 'embedding')).toHaveLength(6);
    expect(specs.filter((s) => s.study === 'sharing')).toHaveLength(10);
    expect(specs.filter((s) => s.study === 'objective')).toHaveLength(3);
    // all/not-shared at E=16 and E=64 are in both the embedding and sharing studies; E=32 all-shared SOP is also
    // the objective study's SOP run.
    expect(new Set(specs.map((s) => s.key)).size).toBe(19 - 4 - 1);
    expect(expandGrid(PRESETS.full, { only: 'objective' })).toHaveLength(9);
  });

  it('skips finished runs when re-run with the same --out, and continues after an interruption', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ablation-grid-'));
    try {
      const preset = PRESETS.smoke;
      const keys = [...new Set(expandGrid(preset).map((s) => s.key))];
      const e1 = fakeEngine(keys[3]);
      await expect(ablate({ preset, engine: e1, out, progress: sink })).rejects.toThrow('killed');
      expect(e1.calls).toEqual(keys.slice(0, 3));
      // The interrupted grid still has a report of its finished runs, marked partial.
      const partial = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
      // (written after the first finished run; later ones are throttled to one report a minute)
      expect(partial.partial).toEqual({ finished: expandGrid(preset).filter((s) => s.key === keys[0]).length, total: expandGrid(preset).length });
      expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('PARTIAL REPORT');
      const e2 = fakeEngine();
      const r2 = await ablate({ preset, engine: e2, out, progress: sink });
      expect(e2.calls).toEqual(keys.slice(3));
      expect(r2.trained).toBe(keys.length - 3);
      expect(validateResults(JSON.parse(fs.readFileSync(r2.files.results, 'utf8')))).toEqual([]);
      expect(r2.results.runs).toHaveLength(expandGrid(preset).length);
      expect(r2.results.partial).toBeUndefined();
      const e3 = fakeEngine();
      const r3 = await ablate({ preset, engine: e3, out, progress: sink });
      expect(e3.calls).toEqual([]);
      expect(r3.trained).toBe(0);
      await expect(ablate({ preset: PRESETS.demo, engine: fakeEngine(), out, progress: sink })).rejects.toThrow(AblationError);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('preset sizing', () => {
  it('demo, quick and full: all-shared has at least 3x fewer parameters than not-shared at every E', async () => {
    const { countParams } = await import('@albert-ts/core');
    const { allShared, notShared } = await import('@albert-ts/sharing');
    const { runConfig } = await import('../src/engine.js');
    for (const name of ['demo', 'quick', 'full'] as const) {
      const p = PRESETS[name];
      for (const E of new Set([...p.studies.embedding.sizes, ...p.studies.sharing.sizes])) {
        const c = runConfig(p, E, p.model.vocabSize);
        const ratio = countParams(c, { sharing: notShared(), head: 'none' }).total / countParams(c, { sharing: allShared(), head: 'none' }).total;
        expect(ratio, `${name} E=${E}`).toBeGreaterThanOrEqual(3);
      }
    }
  });
});
