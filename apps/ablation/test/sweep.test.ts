// `--sweep` on the smoke preset: the recipes' sweep on the preset's own data and model shape.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../src/presets.js';
import { sweepPreset } from '../src/sweep.js';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ablation-sweep-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('sweepPreset', () => {
  it('sweeps every variant x optimizer x rate of the preset on its data, and writes one combined sweep.md', async () => {
    const lines: string[] = [];
    const r = await sweepPreset(PRESETS.smoke, { backend: 'wasm', out, progress: { isTTY: false, write: (s: string) => lines.push(s) } });
    expect(r.results).toHaveLength(1);
    const cells = r.results[0].cells;
    expect(cells.map((c) => `${c.optimizer} ${c.lr}`)).toEqual(['adamw 0.001', 'adamw 0.003', 'lamb 0.01']);
    // every cell on the preset's final held-out pairs and its vocabulary
    for (const c of cells) expect(c.status).toBe('completed');
    expect(r.results[0].settings).toMatchObject({ batchSize: 4, maxSeqLength: 32, evalPairs: PRESETS.smoke.training.finalPairs });
    expect(fs.existsSync(path.join(out, 'shared', 'spiece.model'))).toBe(true);
    const md = fs.readFileSync(path.join(out, 'sweep.md'), 'utf8');
    expect(md).toMatch(/^# Learning-rate sweep of preset smoke\n\n## E8-not-shared/);
    expect(md).toContain('| adamw | 0.001 | 1000 | 512 |');
    expect(lines.join('')).toMatch(/E8-not-shared lamb 0\.01 seed 1000: MLM/);
  }, 120_000);
});
