// The `smoke` preset end to end (real tokenizer training, pretraining, evaluation, fine-tuning and report; in this
// process and in worker processes side by side), then the report in a real headless browser. CI runs this; it must
// stay well under 3 minutes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, runPiped, viteNodeCommand } from '@albert-ts/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ablate } from '../src/ablate.js';
import { createChildProcessEngine } from '../src/child-engine.js';
import { createAlbertEngine } from '../src/engine.js';
import { PRESETS, expandGrid } from '../src/presets.js';
import { type Results, SENTENCE_KEYS, validateResults } from '../src/results.js';
import { CHROMIUM, checkInBrowser, hasChromium } from './helpers/browser.js';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ablation-smoke-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('smoke preset', () => {
  let results: Results;
  let html = '';

  it('runs the whole grid (objective study in this process, the rest in 2 worker processes) and writes a complete report', async () => {
    const preset = PRESETS.smoke;
    const lines: string[] = [];
    const progress = { isTTY: false, write: (s: string) => lines.push(s) };
    const first = await ablate({ preset, engine: createAlbertEngine({ backend: 'wasm' }), out, only: ['objective'], progress });
    expect(first.trained).toBe(3);
    // The report covers the whole grid: the runs --only left out make it partial (the SOP run at E=8 all-shared is
    // also the embedding and sharing studies' E=8 all-shared, so 3 trainings finish 5 of its runs).
    expect(first.results.partial).toEqual({ finished: 5, total: expandGrid(preset).length });
    const appDir = path.resolve(import.meta.dirname, '..');
    const engine = createChildProcessEngine({ backend: 'wasm', parallel: 2, worker: viteNodeCommand(path.join(appDir, 'src', 'worker.ts'), appDir) });
    const r = await ablate({ preset, engine, out, progress });
    const unique = new Set(expandGrid(preset).map((s) => s.key)).size;
    expect(r.trained).toBe(unique - 3);
    results = JSON.parse(fs.readFileSync(r.files.results, 'utf8')) as Results;
    expect(validateResults(results)).toEqual([]);
    expect(results.preset).toBe('smoke');
    expect(results.runs).toHaveLength(expandGrid(preset).length);
    expect(results.timing).toMatchObject({ parallel: 2 });
    expect(results.timing!.pretrain_s).toBeGreaterThan(0);
    // Progress names the grid position, the runs side by side and an ETA.
    expect(lines.join('')).toMatch(/run 1\/\d+/);
    expect(lines.join('')).toMatch(/ETA/);
    expect(lines.join('')).toContain('starting 2 worker processes (wasm, 1 thread each)');
    const spec = (id: string) => expandGrid(preset).find((s) => s.id === id)!;
    for (const run of results.runs) {
      expect(run.steps).toBe(spec(run.id).steps);
      expect(run.layers).toHaveLength(preset.model.numHiddenLayers);
      expect(run.intrinsic.mlm_acc.n).toBeGreaterThan(0);
      expect(run.intrinsic.mlm_baseline?.n).toBe(run.intrinsic.mlm_acc.n);
      expect(typeof run.intrinsic.mlm_left_baseline).toBe('boolean');
      expect(run.intrinsic.pair_cues?.sop.length_rule.acc).toBe(0.5); // length-matched pairs
      // entropy of near-uniform random initial attention; float32 sums can land a hair above uniform
      expect(run.intrinsic.attention_entropy!.mean).toBeLessThanOrEqual(run.intrinsic.attention_entropy!.uniform + 1e-3);
      expect(run.curves[0]?.step).toBe(0);
      expect(run.versions.backend).toBe('wasm');
      expect(run.seconds!.pretrain).toBeGreaterThan(0);
      expect(run.downstream_random_init?.spam.n).toBeGreaterThan(0);
      // Scores named by head and pairs: only an NSP-trained head has nsp_acc.
      const keys = SENTENCE_KEYS.filter((k) => run.intrinsic[k] !== undefined).sort();
      const expected = { sop: ['sop_acc', 'sop_head_on_nsp_pairs'], nsp: ['nsp_acc', 'nsp_head_on_sop_pairs'], none: ['untrained_head_on_nsp_pairs', 'untrained_head_on_sop_pairs'] };
      expect(keys).toEqual(expected[run.variant.objective]);
      for (const k of keys) expect(run.intrinsic[k]!.n).toBe(preset.training.finalPairs);
    }
    // All-shared has fewer parameters at every E (several times fewer at the quick sizes: see ablate.test.ts).
    for (const E of preset.studies.embedding!.sizes) {
      const p = (s: string) => results.runs.find((x) => x.study === 'embedding' && x.variant.sharing === s && x.variant.embeddingSize === E)!.params;
      expect(p('not-shared') / p('all-shared')).toBeGreaterThan(1.5);
    }
    const md = fs.readFileSync(r.files.markdown, 'utf8');
    for (const h of ['What this budget can and cannot resolve', 'What this run shows', 'Where the time went', 'Table 1', 'Table 3', 'Table 4', 'Study: embedding', 'Study: sharing', 'Study: objective', 'Figure 1 analogue', 'random init']) {
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

  it('the built bin re-run on the same --out trains nothing, prints the report paths through a slow pipe, exits 0', async () => {
    expect(html).not.toBe('');
    const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
    if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: build the app first (pnpm build)`);
    const saveTo = path.join(out, 'stdout.txt');
    // The wasm worker threads used to keep the process alive unless it called process.exit().
    const r = await runPiped([bin, '--preset', 'smoke', '--out', out], { saveTo, timeoutMs: 120_000 });
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
    expect(r.stderr).toMatch(/done earlier, skipped/);
    expect(r.stderr).not.toMatch(/^run \d+\/\d+ [^\n]*: MLM/m); // nothing trained
    const stdout = fs.readFileSync(saveTo, 'utf8');
    expect(r.bytes).toBe(Buffer.byteLength(stdout));
    expect(stdout).toMatch(/^report: \S+report\.html\n +\S+report\.md\n +\S+results\.json\n/);
  }, 120_000);

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
