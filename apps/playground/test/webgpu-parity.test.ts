// WebGPU correctness: in headless chromium with the SwiftShader WebGPU adapter, every shared/fixtures/hf-albert model
// loaded on `webgpu` through @albert-ts/backends reproduces HuggingFace's forward outputs and the gradients of one
// training step within 1e-3 (the float32 tolerance of GPU math). The page runs the harness (harness/parity.ts);
// the comparison happens here, against the fixture JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HF_ALBERT_FIXTURES, type HfAlbertFixture, hfFixtureBatchArrays, maxAbsDiff, readHfAlbertFixture,
} from '@albert-ts/testing';
import { CHROMIUM_MISSING, hasChromium, launchChromium, type LaunchedChromium } from '@albert-ts/testing/browser';
import type { Flat, ParityInput, ParityOutput } from '../harness/parity.js';
import { type AppServer, buildAndServe } from './helpers/app-server.js';

const TOL = 1e-3;

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

describe.skipIf(!hasChromium).each(MODES)('webgpu (SwiftShader) matches HuggingFace: $name', ({ query }) => {
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

  it('finds the fixtures', () => {
    expect(HF_ALBERT_FIXTURES).toEqual(expect.arrayContaining(['tiny_groups', 'tiny_inner2', 'tiny_shared']));
  });

  for (const name of HF_ALBERT_FIXTURES) {
    it(`${name}: forward outputs and one training step's gradients within ${TOL}`, async () => {
      const f = readHfAlbertFixture(name);
      worst = 0;
      const r: ParityOutput = await browser.page.evaluate((input) => window.albertHarness.parity(input), inputOf(f));
      expect(r.info.name).toBe('webgpu');
      if (query !== '') expect(await browser.page.evaluate(() => window.albertHarness.flag('WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD'))).toBe(0);
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
      expect(await browser.page.evaluate(() => window.albertHarness.leaked())).toBe(0);
      console.log(`${name}${query}: largest |webgpu - HF| over outputs and gradients = ${worst.toExponential(2)}`);
    }, 600_000);
  }

  it('logs no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});

if (!hasChromium) it.skip(`webgpu parity skipped: ${CHROMIUM_MISSING}`, () => undefined);
