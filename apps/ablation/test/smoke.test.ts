// The `smoke` preset end to end (real tokenizer training, pretraining, evaluation, fine-tuning and report), then
// the report in a real headless browser. CI runs this; it must stay well under 3 minutes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@albert-ts/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ablate } from '../src/ablate.js';
import { createAlbertEngine } from '../src/engine.js';
import { PRESETS, expandGrid } from '../src/presets.js';
import { type Results, validateResults } from '../src/results.js';
import { CHROMIUM, checkInBrowser, hasChromium } from './helpers/browser.js';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ablation-smoke-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('smoke preset', () => {
  let results: Results;
  let html = '';

  it('runs the whole grid and writes a complete report', async () => {
    const preset = PRESETS.smoke;
    const lines: string[] = [];
    const r = await ablate({ preset, engine: createAlbertEngine({ backend: 'wasm' }), out, progress: { isTTY: false, write: (s: string) => lines.push(s) } });
    results = JSON.parse(fs.readFileSync(r.files.results, 'utf8')) as Results;
    expect(validateResults(results)).toEqual([]);
    expect(results.preset).toBe('smoke');
    expect(results.runs).toHaveLength(expandGrid(preset).length);
    // Progress names the grid position and an ETA.
    expect(lines.join('')).toMatch(/run 1\/\d+/);
    expect(lines.join('')).toMatch(/ETA/);
    for (const run of results.runs) {
      expect(run.steps).toBe(preset.training.steps);
      expect(run.layers).toHaveLength(preset.model.numHiddenLayers);
      expect(run.intrinsic.mlm_acc.n).toBeGreaterThan(0);
      expect(run.intrinsic.nsp_acc.n).toBeGreaterThan(0);
      expect(run.intrinsic.sop_acc.n).toBeGreaterThan(0);
      expect(run.curves[0]?.step).toBe(0);
      expect(run.versions.backend).toBe('wasm');
    }
    // All-shared has fewer parameters at every E (several times fewer at the demo sizes: see ablate.test.ts).
    for (const E of preset.studies.embedding.sizes) {
      const p = (s: string) => results.runs.find((x) => x.study === 'embedding' && x.variant.sharing === s && x.variant.embeddingSize === E)!.params;
      expect(p('not-shared') / p('all-shared')).toBeGreaterThan(1.5);
    }
    const md = fs.readFileSync(r.files.markdown, 'utf8');
    for (const h of ['What this budget can and cannot resolve', 'What this run shows', 'Table 1', 'Table 3', 'Table 4', 'Study: embedding', 'Study: sharing', 'Study: objective', 'Figure 1 analogue']) {
      expect(md).toContain(h);
    }
    html = r.files.html;
    const text = fs.readFileSync(html, 'utf8');
    for (const id of ['curves-embedding', 'bars-embedding', 'curves-sharing', 'bars-sharing', 'curves-objective', 'bars-objective', 'figure1', 'params-vs-acc', 'downstream']) {
      expect(text).toContain(`id="chart-${id}"><svg`);
    }
    // A second invocation with the same --out trains nothing.
    const again = await ablate({ preset, engine: createAlbertEngine({ backend: 'wasm' }), out, progress: { isTTY: false, write: () => true } });
    expect(again.trained).toBe(0);
  }, 175_000);

  it.skipIf(!hasChromium)('report.html renders in headless chromium (screenshot: artifacts/report.png)', async () => {
    expect(html).not.toBe('');
    const shot = path.join(repoRoot, 'artifacts', 'report.png');
    const seen = await checkInBrowser(html, shot);
    expect(seen.title).toContain('preset smoke');
    expect(seen.svgCount).toBeGreaterThanOrEqual(9);
    expect(seen.visibleCharts).toHaveLength(seen.svgCount);
    expect(seen.headings).toEqual(expect.arrayContaining(['What this run shows', 'Figure 1: layer-to-layer geometry']));
    expect(seen.requests).toEqual([]);
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
  });

  if (!hasChromium) it.skip(`browser check skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`, () => undefined);
});
