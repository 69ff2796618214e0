// WebGPU correctness: in headless chromium with the SwiftShader WebGPU adapter, every shared/fixtures/hf-albert model
// loaded on `webgpu` through @albert-ts/backends reproduces HuggingFace's forward outputs and the gradients of one
// training step within 1e-3 (the float32 tolerance of GPU math), and 20 steps of the playground's training on
// webgpu give the losses of the same 20 steps on wasm within 1e-2. The page runs the harness (harness/parity.ts);
// the comparison happens here, against the fixture JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HF_ALBERT_FIXTURES, type HfAlbertFixture, hfFixtureBatchArrays, maxAbsDiff, readHfAlbertFixture,
} from '@albert-ts/testing';
import { CHROMIUM_MISSING, hasChromium, launchChromium, type LaunchedChromium } from '@albert-ts/testing/browser';
import type { Flat, ParityInput, ParityOutput } from '../harness/parity.js';
import { type AppServer, buildAndServe } from './helpers/app-server.js';

const TOL = 1e-3;
/** Tolerance of the 20-step loss tracking (float32 differences compound over the steps). */
const TRACK_TOL = 1e-2;
const TRACK_STEPS = 20;

function inputOf(f: HfAlbertFixture): ParityInput {
  return {
    backend: 'webgpu',
    config: f.config,
    safetensorsBase64: Buffer.from(f.safetensors).toString('base64'),
    batch: hfFixtureBatchArrays(f),
  };
}

/** Largest difference seen in the current test (printed, so that the margin under TOL is visible). */
let worst = 0;
const diff = (ours: Flat, expected: Parameters<typeof maxAbsDiff>[1]) => {
  const d = maxAbsDiff(ours.values, expected, ours.shape);
  worst = Math.max(worst, d);
  return d;
};
const l2 = (values: number[]) => Math.sqrt(values.reduce((s, v) => s + v * v, 0));
/** Canonical (our) name of a HF state-dict name. */
const canonical = (hfName: string) => (hfName.startsWith('albert.') ? hfName.slice(7) : hfName);

/**
 * Two runs: tfjs-webgpu's defaults (ops on small tensors still on the CPU run on the CPU, as in users' browsers),
 * and with that hand-off off (`tfjsflags` in the page URL), so that every op runs a WebGPU kernel.
 */
const MODES = [
  { name: 'defaults', query: '' },
  { name: 'every op on a WebGPU kernel', query: '?tfjsflags=WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD:0' },
];

/** The harness page in chromium with WebGPU on SwiftShader, opened before and closed after the enclosing tests. */
function harnessPage(query: string): { page: () => LaunchedChromium['page']; errors: string[] } {
  let server: AppServer;
  let browser: LaunchedChromium;
  const errors: string[] = [];
  beforeAll(async () => {
    server = await buildAndServe();
    browser = await launchChromium({ webgpu: true });
    browser.page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    browser.page.on('pageerror', (e) => errors.push(e.message));
    await browser.page.goto(new URL(`harness/parity.html${query}`, server.url).href);
    await browser.page.waitForSelector('body[data-ready=true]');
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return { page: () => browser.page, errors };
}

describe.skipIf(!hasChromium).each(MODES)('webgpu (SwiftShader) matches HuggingFace: $name', ({ query }) => {
  const harness = harnessPage(query);

  it('finds the fixtures', () => {
    expect(HF_ALBERT_FIXTURES).toEqual(expect.arrayContaining(['tiny_groups', 'tiny_inner2', 'tiny_shared']));
  });

  for (const name of HF_ALBERT_FIXTURES) {
    it(`${name}: forward outputs and one training step's gradients within ${TOL}`, async () => {
      const f = readHfAlbertFixture(name);
      worst = 0;
      const r: ParityOutput = await harness.page().evaluate((input) => window.albertHarness.parity(input), inputOf(f));
      expect(r.info.name).toBe('webgpu');
      if (query !== '') expect(await harness.page().evaluate(() => window.albertHarness.flag('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD'))).toBe(0);
      expect(r.info.adapter).toMatch(/swiftshader/i);
      const o = r.outputs;
      expect(diff(o.last_hidden_state, f.outputs.last_hidden_state), 'last_hidden_state').toBeLessThan(TOL);
      expect(diff(o.pooler_output, f.outputs.pooler_output), 'pooler_output').toBeLessThan(TOL);
      expect(o.hidden_states.length).toBe(f.outputs.hidden_states.length);
      o.hidden_states.forEach((h, i) => expect(diff(h, f.outputs.hidden_states[i]), `hidden_states[${i}]`).toBeLessThan(TOL));
      expect(diff(o.prediction_logits, f.outputs.prediction_logits), 'prediction_logits').toBeLessThan(TOL);
      expect(diff(o.sop_logits, f.outputs.sop_logits), 'sop_logits').toBeLessThan(TOL);
      expect(Math.abs(o.loss - f.outputs.loss), 'loss').toBeLessThan(TOL);
      expect(Math.abs(o.mlm_loss - f.outputs.mlm_loss), 'mlm_loss').toBeLessThan(TOL);
      expect(Math.abs(o.sop_loss - f.outputs.sop_loss), 'sop_loss').toBeLessThan(TOL);
      for (const [hfName, g] of Object.entries(f.gradients)) {
        expect(diff(r.gradients[canonical(hfName)]!, g.values), hfName).toBeLessThan(TOL);
      }
      expect(Object.keys(r.gradients).length).toBe(Object.keys(f.grad_l2_norms).length);
      for (const [hfName, norm] of Object.entries(f.grad_l2_norms)) {
        const ours = r.gradients[canonical(hfName)];
        expect(ours, hfName).toBeDefined();
        expect(Math.abs(l2(ours!.values) - norm), hfName).toBeLessThan(TOL * Math.max(1, norm));
      }
      expect(await harness.page().evaluate(() => window.albertHarness.leaked())).toBe(0);
      console.log(`${name}${query}: largest |webgpu - HF| over outputs and gradients = ${worst.toExponential(2)}`);
    }, 600_000);
  }

  it('logs no errors in the page', () => {
    expect(harness.errors).toEqual([]);
  });
});

describe.skipIf(!hasChromium)('webgpu (SwiftShader) trains like wasm', () => {
  const harness = harnessPage('');

  it('sums more tensors than a WebGPU shader stage has storage buffers (AddN)', async () => {
    const r = await harness.page().evaluate(() => window.albertHarness.addN('webgpu', 33, 2048));
    expect(r.info.name).toBe('webgpu');
    expect(r.values).toHaveLength(2048);
    expect(r.values.every((v) => v === (33 * 34) / 2)).toBe(true);
  });

  it(`tracks wasm's losses within ${TRACK_TOL} over ${TRACK_STEPS} training steps`, async () => {
    // The micro model (harness/tiny-step.ts): SwiftShader emulates the GPU on the CPU and needs seconds per step.
    const track = (backend: 'webgpu' | 'wasm') => harness.page().evaluate(([b, n]) => window.albertHarness.trackLosses(b, n, 'micro'), [backend, TRACK_STEPS] as const);
    const gpu = await track('webgpu');
    expect(await harness.page().evaluate(() => window.albertHarness.leaked())).toBe(0);
    const wasm = await track('wasm');
    expect(await harness.page().evaluate(() => window.albertHarness.leaked())).toBe(0);
    expect(gpu.info.name).toBe('webgpu');
    expect(wasm.info).toMatchObject({ name: 'wasm', threads: 2 });
    expect(gpu.losses).toHaveLength(TRACK_STEPS);
    expect(wasm.losses).toHaveLength(TRACK_STEPS);
    const diffs = gpu.losses.map((l, i) => Math.abs(l - wasm.losses[i]!));
    console.log(`largest |webgpu - wasm| loss over ${TRACK_STEPS} steps = ${Math.max(...diffs).toExponential(2)} ` +
      `(wasm ${wasm.losses[0]!.toFixed(3)} -> ${wasm.losses.at(-1)!.toFixed(3)})`);
    diffs.forEach((d, i) => expect(d, `step ${i + 1}: webgpu ${gpu.losses[i]} vs wasm ${wasm.losses[i]}`).toBeLessThan(TRACK_TOL));
    // The run trains (mean of the last 5 steps well under the first 5): otherwise equal losses would say little.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(wasm.losses.slice(-5))).toBeLessThan(mean(wasm.losses.slice(0, 5)) - 0.3);
  }, 600_000);

  it('logs no errors in the page', () => {
    expect(harness.errors).toEqual([]);
  });
});

if (!hasChromium) it.skip(`webgpu parity skipped: ${CHROMIUM_MISSING}`, () => undefined);
