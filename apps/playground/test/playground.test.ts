// The built playground in headless chromium (Playwright + Debian's chromium), served by Vite's preview server with
// COOP/COEP: no console errors, cross-origin isolation and 2 wasm threads in the worker, sharing choices by their
// canonical names, parameter counts equal to `albert params`, 20 training steps in the worker with a falling loss
// and the curves drawn, stopping a run midway, fill-mask with 5 candidates, export → re-import with identical
// outputs (and the zip loads in Node with core's loadHfModel), side-by-side training with overlaid curves.
// Screenshots go to artifacts/playground*.png.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHfModel } from '@albert-ts/core/node';
import type { FillMaskResult } from '@albert-ts/pipelines';
import { pipeline } from '@albert-ts/pipelines/node';
import { factorized } from '@albert-ts/embeddings';
import { mlm, sop } from '@albert-ts/objectives';
import { parseSharing, SHARING_ALIASES } from '@albert-ts/sharing';
import { repoRoot, useTestBackend } from '@albert-ts/testing';
import { CHROMIUM_MISSING, hasChromium, launchChromium, type LaunchedChromium } from '@albert-ts/testing/browser';
import { type AppServer, buildAndServe } from './helpers/app-server.js';

type Page = LaunchedChromium['page'];
const artifacts = path.join(repoRoot, 'artifacts');
const cli = path.join(repoRoot, 'apps', 'cli', 'dist', 'bin.js');

/** Waits until the page has no request in flight (body[data-busy=0]) and the worker reported its backend. */
async function idle(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=backend-name]', { timeout: 300_000 });
  await page.waitForFunction(() => document.body.dataset['busy'] === '0', null, { timeout: 300_000 });
}

/** `albert params …` → its JSON `total`. */
function cliTotal(argv: string[]): number {
  const out = execFileSync(process.execPath, [cli, ...argv], { encoding: 'utf8' });
  return (JSON.parse(out) as { total: number }).total;
}

interface RunOutcome {
  slot: string;
  status: string;
  steps: number;
  losses: number[];
}

/** Presses Train and waits for the run(s) to end; the outcome the page shows for each slot. */
async function train(page: Page, steps: number): Promise<RunOutcome[]> {
  await page.fill('[data-testid=steps]', String(steps));
  await page.click('[data-testid=train-button]');
  await page.waitForSelector('[data-testid=train-button][data-running=true]');
  await page.waitForSelector('[data-testid=train-button][data-running=false]', { timeout: 300_000 });
  await idle(page);
  return outcomes(page);
}

function outcomes(page: Page): Promise<RunOutcome[]> {
  return page.$$eval('[data-testid=train-status] p[data-slot]', (ps) => ps.map((p) => ({
    slot: p.getAttribute('data-slot')!, status: p.getAttribute('data-status')!, steps: Number(p.getAttribute('data-steps')),
    losses: JSON.parse(p.getAttribute('data-losses')!) as number[],
  })));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The fill-mask candidates shown for slot A, first mask: [token, score] as the page wrote them. */
function candidates(page: Page): Promise<[string, string][]> {
  return page.$$eval('[data-testid=fill-mask-A-0] tr.candidate', (rows) =>
    rows.map((r) => [r.getAttribute('data-token')!, r.getAttribute('data-score')!] as [string, string]));
}

describe.skipIf(!hasChromium)('playground in headless chromium', () => {
  let server: AppServer;
  let browser: LaunchedChromium;
  let page: Page;
  const errors: string[] = [];
  let tmp: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-test-'));
    server = await buildAndServe();
    browser = await launchChromium({ viewport: { width: 1400, height: 1000 } });
    page = browser.page;
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(new URL('?backend=wasm&threads=2', server.url).href);
    await idle(page);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is cross-origin isolated and runs wasm with 2 threads in the worker', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const backend = page.locator('[data-testid=backend-name]');
    expect(await backend.getAttribute('data-backend')).toBe('wasm');
    expect(await backend.getAttribute('data-threads')).toBe('2');
    expect(await page.locator('[data-testid=threads-unavailable]').count()).toBe(0);
    fs.mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'playground.png') });
  });

  it("offers the sharing strategies by @albert-ts/sharing's canonical names", async () => {
    for (const slot of ['A', 'B']) {
      const names = await page.$$eval(`[data-testid=sharing-${slot}] option`, (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
      expect(names.map(([value]) => value)).toEqual(['all-shared', 'shared-attention', 'shared-ffn', 'not-shared', 'grouped-2', 'grouped-2x2']);
      for (const [value, text] of names) {
        expect(text).toBe(value);
        expect(parseSharing(value!).name).toBe(value);
        expect(Object.keys(SHARING_ALIASES)).not.toContain(value);
      }
    }
  });

  it('shows the parameter counts `albert params` prints, for two sharing strategies', async () => {
    for (const sharing of ['shared-attention', 'all-shared']) {
      await page.selectOption('[data-testid=sharing-A]', sharing);
      await idle(page);
      const total = Number(await page.getAttribute('[data-testid=params-total-A]', 'data-value'));
      // The live variables of the model the worker built agree with the analytic count.
      expect(Number(await page.getAttribute('[data-testid=params-live-A]', 'data-value'))).toBe(total);
      for (const head of ['none', 'pretraining'] as const) {
        const code = page.locator(`[data-testid=cli-${head}-A]`);
        const argv = JSON.parse((await code.getAttribute('data-argv'))!) as string[];
        expect(argv).toEqual(expect.arrayContaining(['--sharing', sharing, '--head', head]));
        const shown = Number(await code.getAttribute('data-total'));
        expect(cliTotal(argv), argv.join(' ')).toBe(shown);
        if (head === 'pretraining') expect(shown).toBe(total);
      }
    }
  });

  it('fills a mask with 5 candidates', async () => {
    const c = await candidates(page);
    expect(c).toHaveLength(5);
    const scores = c.map(([, s]) => Number(s));
    expect(scores.every((s) => s > 0 && s < 1)).toBe(true);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('tokenizes typed text and draws the Figure 1 geometry', async () => {
    await page.fill('[data-testid=tokenize-input]', 'Call me Ishmael.');
    await page.waitForFunction(() => document.querySelector('[data-testid=tokenize-output]')?.textContent?.includes('ishmael') ||
      document.querySelector('[data-testid=tokenize-output]')?.textContent?.includes('▁call'));
    const pieces = await page.$$eval('[data-testid=tokenize-output] .piece', (els) => els.map((e) => e.firstChild?.textContent));
    expect(pieces[0]).toBe('[CLS]');
    expect(pieces[pieces.length - 1]).toBe('[SEP]');
    const svg = page.locator('[data-testid=geometry-chart] svg');
    expect(await svg.count()).toBe(1);
    expect(await svg.textContent()).toContain('L2 distance');
  });

  it('trains 20 steps in the worker (wasm, 2 threads): the loss falls and the curves are drawn', async () => {
    const before = await candidates(page);
    const [run] = await train(page, 20);
    expect(run).toMatchObject({ slot: 'A', status: 'completed', steps: 20 });
    expect(run!.losses).toHaveLength(20);
    expect(run!.losses.every(Number.isFinite)).toBe(true);
    // MLM + SOP from ~ln(2000) + ln(2): the mean of the last 5 steps is well under the first 5 (per-batch noise
    // is about 0.3).
    expect(mean(run!.losses.slice(-5))).toBeLessThan(mean(run!.losses.slice(0, 5)) - 0.3);
    const svg = page.locator('[data-testid=curves-chart] svg');
    expect(await svg.count()).toBe(1);
    const text = await svg.textContent();
    for (const metric of ['loss', 'mlm_accuracy', 'sop_accuracy']) expect(text).toContain(metric);
    expect(text).toContain('A: ');
    expect(await page.textContent('[data-testid=speed]')).toMatch(/training: [\d,]+ tokens\/s/);
    // The views show the trained weights.
    expect(await candidates(page)).not.toEqual(before);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(artifacts, 'playground-trained.png') });
  });

  it('stops a run midway and keeps the weights it reached', async () => {
    await page.fill('[data-testid=steps]', '500');
    await page.click('[data-testid=train-button]');
    // Steps count on from the 20 of the previous run: wait until this run has done at least 5.
    await page.waitForFunction(() => /step (2[5-9]|[3-9]\d|\d{3}) /.test(document.querySelector('[data-testid=train-live]')?.textContent ?? ''), null, { timeout: 120_000 });
    expect(await page.isDisabled('[data-testid=sharing-A]')).toBe(true);
    await page.click('[data-testid=train-button]');
    await page.waitForSelector('[data-testid=train-button][data-running=false]', { timeout: 120_000 });
    await idle(page);
    const [run] = await outcomes(page);
    expect(run!.status).toBe('interrupted');
    expect(run!.steps).toBeGreaterThanOrEqual(5);
    expect(run!.steps).toBeLessThan(500);
    const shown = await page.textContent('[data-testid=train-status]');
    expect(shown).toContain(`stopped after ${run!.steps} steps`);
    expect(shown).toContain(`${20 + run!.steps} steps in total`);
    expect(await page.isDisabled('[data-testid=sharing-A]')).toBe(false);
  });

  it('exports a HF directory zip that re-imports with identical outputs, and that Node loads and fills alike', async () => {
    const before = await candidates(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-button]')]);
    const zipPath = path.join(tmp, download.suggestedFilename());
    await download.saveAs(zipPath);
    const files = unzipSync(new Uint8Array(fs.readFileSync(zipPath)));
    expect(Object.keys(files).sort()).toEqual([
      'config.json', 'model.safetensors', 'special_tokens_map.json', 'spiece.model', 'tokenizer_config.json',
    ]);

    // Node: core's loadHfModel reads the same directory, and @albert-ts/pipelines' fill-mask on it (cpu backend)
    // gives the page's candidates (wasm in the worker).
    const dir = path.join(tmp, 'model');
    fs.mkdirSync(dir);
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
    await useTestBackend('cpu');
    const model = loadHfModel(dir, { embeddings: factorized(), objectives: [mlm(), sop()] });
    expect(model.countParameters()).toBe(Number(await page.getAttribute('[data-testid=params-live-A]', 'data-value')));
    model.dispose();
    const unmask = await pipeline('fill-mask', dir);
    try {
      const node = await unmask(await page.inputValue('[data-testid=fill-mask-input]')) as FillMaskResult[]; // one mask
      expect(node.map((c) => String(c.token))).toEqual(before.map(([token]) => token));
      node.forEach((c, i) => expect(c.score).toBeCloseTo(Number(before[i]![1]), 5));
    } finally {
      unmask.dispose();
    }

    // A different model first, so that the import has to bring the weights back.
    await page.fill('[data-testid=seed-A]', '7');
    await page.dispatchEvent('[data-testid=seed-A]', 'change');
    await idle(page);
    expect(await candidates(page)).not.toEqual(before);

    await page.setInputFiles('[data-testid=import-input]', zipPath);
    await page.waitForFunction(() => document.querySelector('[data-testid=files-status]')?.textContent?.startsWith('imported'));
    await idle(page);
    expect(await candidates(page)).toEqual(before);
    expect(await page.inputValue('[data-testid=seed-A]')).toBe('0');
  });

  it('answers a broken upload with a one-line message and keeps the model', async () => {
    const before = await candidates(page);
    const bad = path.join(tmp, 'broken.zip');
    fs.writeFileSync(bad, 'this is not a zip file');
    await page.setInputFiles('[data-testid=import-input]', bad);
    await page.waitForFunction(() => document.querySelector('[data-testid=files-status]')?.textContent?.includes('broken.zip'));
    await idle(page);
    expect(await page.textContent('[data-testid=files-status]')).toMatch(/^broken\.zip is not a readable zip file \(.*\)$/);
    expect(await candidates(page)).toEqual(before);
  });

  it('compares two variants side by side: trains A, then B, and overlays their curves', async () => {
    await page.check('[data-testid=compare]');
    await idle(page);
    const runs = await train(page, 5);
    expect(runs.map((r) => [r.slot, r.status, r.steps])).toEqual([['A', 'completed', 5], ['B', 'completed', 5]]);
    const curves = await page.locator('[data-testid=curves-chart] svg').textContent();
    expect(curves).toContain('A: ');
    expect(curves).toContain('B: ');
    const totalB = Number(await page.getAttribute('[data-testid=params-total-B]', 'data-value'));
    const argvB = JSON.parse((await page.getAttribute('[data-testid=cli-pretraining-B]', 'data-argv'))!) as string[];
    expect(argvB).toEqual(expect.arrayContaining(['--sharing', 'not-shared']));
    expect(cliTotal(argvB)).toBe(totalB);
    const legend = await page.locator('[data-testid=geometry-chart] svg').textContent();
    expect(legend).toContain('A: ');
    expect(legend).toContain('B: ');
    expect(await page.locator('[data-testid=fill-mask-B-0] tr.candidate').count()).toBe(5);
    await page.screenshot({ path: path.join(artifacts, 'playground-compare.png'), fullPage: true });
  });

  it('logged no errors in the page or the worker', () => {
    expect(errors).toEqual([]);
  });
});

if (!hasChromium) it.skip(`playground browser suite skipped: ${CHROMIUM_MISSING}`, () => undefined);
