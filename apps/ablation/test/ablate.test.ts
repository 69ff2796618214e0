import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Engine, type MeasuredRun, type RunContext, ablate } from '../src/ablate.js';
import { AblationError } from '../src/errors.js';
import { PRESETS, type RunSpec, expandGrid, onlyChoices, stepsFor } from '../src/presets.js';
import { type Results, validateResults } from '../src/results.js';
import { RunLockedError, acquireRunLock } from '@albert-ts/trainer/node';
import { makeRun } from './helpers/make-run.js';

function fakeEngine(failOn?: string, concurrency = 1): Engine & { calls: string[]; maxActive: number } {
  const calls: string[] = [];
  let active = 0;
  const engine = {
    calls,
    maxActive: 0,
    concurrency,
    backend: 'fake',
    versions: () => ({ 'albert-ts': '0', ablation: '0', 'tfjs-core': '4.22.0', node: process.version, backend: 'fake' }),
    paperTables: () => [],
    prepare: async () => undefined,
    async run(spec: RunSpec, ctx: RunContext) {
      if (spec.key === failOn) throw new Error('killed');
      calls.push(spec.key);
      engine.maxActive = Math.max(engine.maxActive, ++active);
      await new Promise((r) => setTimeout(r, 5));
      for (let s = 1; s <= spec.steps; s++) ctx.onStep(s, { loss: 1 });
      active--;
      const { id: _i, study: _s, label: _l, ...m } = makeRun({ study: spec.study, E: spec.embeddingSize, sharing: spec.sharing, objective: spec.objective });
      return m as MeasuredRun;
    },
  };
  return engine;
}

const sink = { isTTY: false, write: () => true };

describe('ablate grid', () => {
  it('expands the demo grid (4 trainings: E=16 and E=64, not-shared and all-shared) and trains shared configurations once', () => {
    const specs = expandGrid(PRESETS.demo);
    expect(specs.map((s) => s.id)).toEqual([
      'embedding/E=16 not-shared/s0', 'embedding/E=16 all-shared/s0', 'embedding/E=64 not-shared/s0', 'embedding/E=64 all-shared/s0',
      'sharing/E=64 all-shared/s0', 'sharing/E=64 not-shared/s0',
    ]);
    expect([...new Set(specs.map((s) => s.key))]).toEqual(['E16-not-shared-sop-s0', 'E16-all-shared-sop-s0', 'E64-not-shared-sop-s0', 'E64-all-shared-sop-s0']);
    // 3M tokens of 32 x 64 each
    expect(specs[0].steps).toBe(Math.ceil(3_000_000 / 2048));
    expect(stepsFor(PRESETS.demo, PRESETS.demo.training.tokensPerRun)).toBe(specs[0].steps);
    // full: the objective study at its own (larger) budget, 3 seeds; its SOP run is not the embedding study's
    const objective = expandGrid(PRESETS.full, { only: ['objective'] });
    expect(objective).toHaveLength(9);
    expect(objective[0].steps).toBe(stepsFor(PRESETS.full, 8_000_000));
    expect(new Set(expandGrid(PRESETS.full).map((s) => s.key)).size).toBe(3 * (6 + 2 + 3));
  });

  it('--only takes a list of studies and run labels', () => {
    const quick = PRESETS.quick;
    expect(expandGrid(quick, { only: ['sharing'] }).map((s) => s.label)).toEqual(['E=64 all-shared', 'E=64 shared-attention', 'E=64 shared-ffn', 'E=64 not-shared']);
    expect(expandGrid(quick, { only: ['E=16 not-shared', 'objective/nsp'] }).map((s) => s.id)).toEqual(['embedding/E=16 not-shared/s0', 'objective/nsp/s0']);
    expect(expandGrid(quick, { only: ['E64-all-shared-sop'] }).map((s) => s.id)).toEqual(['embedding/E=64 all-shared/s0', 'sharing/E=64 all-shared/s0', 'objective/sop/s0']);
    expect(onlyChoices(quick)).toEqual(expect.arrayContaining(['embedding', 'sharing', 'objective', 'E=16 not-shared', 'nsp']));
  });

  it('trains up to the engine\'s concurrency side by side, in grid order', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ablation-pool-'));
    try {
      const e = fakeEngine(undefined, 2);
      const r = await ablate({ preset: PRESETS.smoke, engine: e, out, progress: sink });
      const keys = [...new Set(expandGrid(PRESETS.smoke).map((s) => s.key))];
      expect(e.calls).toEqual(keys);
      expect(e.maxActive).toBe(2);
      expect(r.results.timing?.parallel).toBe(2);
      // per-run seconds are summed by phase; the share of pretraining is reported
      expect(r.results.timing?.pretrain_s).toBeCloseTo(8 * keys.length, 6);
      expect(r.results.timing?.pretrain_share).toBeGreaterThan(0.7);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('skips finished runs when re-run with the same --out, and continues after an interruption', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ablation-grid-'));
    try {
      const preset = PRESETS.smoke;
      const keys = [...new Set(expandGrid(preset).map((s) => s.key))];
      const e1 = fakeEngine(keys[3]);
      await expect(ablate({ preset, engine: e1, out, progress: sink })).rejects.toThrow('killed');
      expect(e1.calls).toEqual(keys.slice(0, 3));
      // The interrupted grid still has a report of every run that finished before the failure, marked partial.
      const partial = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
      const finished = expandGrid(preset).filter((s) => keys.slice(0, 3).includes(s.key)).length;
      expect(partial.partial).toEqual({ finished, total: expandGrid(preset).length });
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

describe('--only over several invocations', () => {
  it('refuses a second grid on an --out that another one holds, naming the pid; releases it when done or failed', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ablate-lock-'));
    const lock = acquireRunLock(out, { label: 'ablation' });
    const engine = fakeEngine();
    const err = await ablate({ preset: PRESETS.smoke, engine, out, progress: sink }).then(() => undefined, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(RunLockedError);
    expect(err!.message).toMatch(new RegExp(`^${out} is in use by another run: pid ${process.pid} \\(ablation\\) on `));
    expect(engine.calls).toEqual([]);
    lock.release();
    await expect(ablate({ preset: PRESETS.smoke, engine: fakeEngine('E8-all-shared-none-s0'), out, progress: sink })).rejects.toThrow('killed');
    expect(fs.existsSync(path.join(out, '.lock'))).toBe(false);
    await ablate({ preset: PRESETS.smoke, engine, out, progress: sink });
    expect(fs.existsSync(path.join(out, '.lock'))).toBe(false);
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('trains what --only selects, and reports every finished run of the grid', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ablation-only-'));
    try {
      const preset = PRESETS.smoke;
      const e1 = fakeEngine();
      const r1 = await ablate({ preset, engine: e1, out, only: ['embedding'], progress: sink });
      expect(e1.calls).toEqual(['E8-not-shared-sop-s0', 'E8-all-shared-sop-s0', 'E32-not-shared-sop-s0', 'E32-all-shared-sop-s0']);
      expect(r1.results.runs.map((r) => r.study)).toEqual(['embedding', 'embedding', 'embedding', 'embedding', 'sharing', 'sharing', 'objective']);
      const e2 = fakeEngine();
      const r2 = await ablate({ preset, engine: e2, out, only: ['objective'], progress: sink });
      expect(e2.calls).toEqual(['E8-all-shared-none-s0', 'E8-all-shared-nsp-s0']);
      expect(r2.results.runs.filter((r) => r.study === 'embedding')).toHaveLength(4);
      expect(r2.results.partial).toEqual({ finished: expandGrid(preset).length - 2, total: expandGrid(preset).length });
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('runs in progress', () => {
  it('an interrupted grid reports the curves of its unfinished runs (how far a long study got)', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ablation-progress-'));
    try {
      const preset = PRESETS.smoke;
      const [spec] = expandGrid(preset, { only: ['objective/nsp'] });
      const metrics = path.join(out, 'runs', spec.dir, 'pretrain', 'metrics.jsonl');
      fs.mkdirSync(path.dirname(metrics), { recursive: true });
      const rec = (step: number, acc: number) => JSON.stringify({ type: 'eval', step, mlm_loss: 6, mlm_accuracy: acc, mlm_baseline: 0.05, nsp_accuracy: 0.5, nsp_head_on_sop_pairs_accuracy: 0.49 });
      fs.writeFileSync(metrics, `${JSON.stringify({ type: 'event', step: 0 })}\n${rec(0, 0.01)}\n${rec(2, 0.06)}\n{"type":"train","st`);
      const engine = fakeEngine(spec.key);
      await expect(ablate({ preset, engine, out, only: ['objective'], progress: sink })).rejects.toThrow('killed');
      const r = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as Results;
      expect(r.partial).toEqual({ finished: 1, total: expandGrid(preset).length });
      expect(r.in_progress).toEqual([{
        id: 'objective/nsp/s0', study: 'objective', label: 'nsp', seed: 0, step: 2, steps: spec.steps, tokens: 2 * 128, total_tokens: spec.steps * 128,
        curves: [
          { step: 0, tokens: 0, loss: 6, mlm_acc: 0.01, mlm_baseline: 0.05, nsp_acc: 0.5, nsp_head_on_sop_pairs: 0.49 },
          { step: 2, tokens: 256, loss: 6, mlm_acc: 0.06, mlm_baseline: 0.05, nsp_acc: 0.5, nsp_head_on_sop_pairs: 0.49 },
        ],
      }]);
      const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
      expect(md).toContain('objective study: runs in progress');
      expect(md).toContain('| nsp | 0 | 256 | 512 | 6.0% | 5.0% |');
      expect(fs.readFileSync(path.join(out, 'charts', 'curves-objective.svg'), 'utf8')).toContain('nsp (in progress)');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('preset sizing', () => {
  it('quick and full: all-shared has at least 3x fewer parameters than not-shared at every E (the demo\'s L=4 models: less)', async () => {
    const { countParams } = await import('@albert-ts/core');
    const { allShared, notShared } = await import('@albert-ts/sharing');
    const { runConfig } = await import('../src/engine.js');
    for (const name of ['quick', 'full'] as const) {
      const p = PRESETS[name];
      for (const E of new Set([...(p.studies.embedding?.sizes ?? []), ...(p.studies.sharing?.sizes ?? [])])) {
        const c = runConfig(p, E, p.model.vocabSize);
        const ratio = countParams(c, { sharing: notShared(), head: 'none' }).total / countParams(c, { sharing: allShared(), head: 'none' }).total;
        expect(ratio, `${name} E=${E}`).toBeGreaterThanOrEqual(3);
      }
    }
  });
});
