// The browser entry point, run in Node with browser globals stubbed: which backends it offers and the one-line
// errors a page gets when WebGPU, cross-origin isolation or Node-only backends are missing. The real browser runs
// (webgpu on SwiftShader, threaded wasm) are in apps/playground's Playwright suite.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BACKEND_NAMES, BackendError, bundledWasmPaths, useBackend } from '../src/browser.js';
import { errorOf } from './helpers.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('browser entry point', () => {
  it('offers webgpu, wasm, webgl, cpu in that order', () => {
    expect(BACKEND_NAMES).toEqual(['webgpu', 'wasm', 'webgl', 'cpu']);
  });

  it('refuses the Node-only backends', async () => {
    const e = await errorOf(useBackend('node-gpu'));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.message).toBe('backend "node-gpu" only runs in Node.js; in browsers use one of webgpu, wasm, webgl, cpu');
  });

  it('says when the browser has no WebGPU, and when it has no adapter', async () => {
    vi.stubGlobal('navigator', {});
    const e1 = await errorOf(useBackend('webgpu'));
    expect(e1).toBeInstanceOf(BackendError);
    expect(e1.message).toMatch(/^backend "webgpu" is unavailable: this browser exposes no navigator\.gpu/);
    vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => null } });
    const e2 = await errorOf(useBackend('webgpu'));
    expect(e2.message).toBe('backend "webgpu" is unavailable: navigator.gpu.requestAdapter() found no adapter');
    expect(tf.getBackend()).not.toBe('webgpu');
  });

  it('refuses wasm threads without cross-origin isolation', async () => {
    vi.stubGlobal('crossOriginIsolated', false);
    const e = await errorOf(useBackend('wasm', { threads: 2 }));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.message).toBe('wasm threads=2 needs a cross-origin isolated page (COOP/COEP headers); use threads: 1');
  });

  it('points the wasm binaries at the copies in the package (served by bundlers, not a CDN)', () => {
    const paths = bundledWasmPaths();
    expect(Object.keys(paths).sort()).toEqual([
      'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm', 'tfjs-backend-wasm.wasm',
    ]);
    for (const [name, url] of Object.entries(paths)) {
      expect(url.startsWith('file:')).toBe(true);
      expect(url.endsWith(`/packages/backends/wasm/${name}`)).toBe(true);
      expect(fs.existsSync(fileURLToPath(url)), `${name} missing: run the package build (it copies the binaries)`).toBe(true);
    }
  });
});
