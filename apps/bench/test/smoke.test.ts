import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPiped } from '@albert-ts/testing';
// Gradients for tfjs-core (normally registered by importing @albert-ts/core).
import '@albert-ts/core';
import { main } from '../src/main.js';
import { parseArgs, BenchUsageError } from '../src/args.js';
import { stepFlops, CONFIGS, SMOKE_CONFIGS } from '../src/configs.js';
import * as tf from '@tensorflow/tfjs-core';
import { parseTorchAlbertOutput, parseTorchOutput } from '../src/torch-peer.js';
import { summarize } from '../src/run-bench.js';
import { albertTrainStep, createAlbertBench, disposeAlbertBench } from '../src/albert-step.js';

function capture(): { out: string[]; err: string[]; io: { out: (s: string) => void; err: (s: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s) => out.push(s), err: (s) => err.push(s) } };
}

describe('bench', () => {
  it('runs the smoke configurations on wasm and cpu and prints one JSON document', async () => {
    const c = capture();
    const code = await main(['--smoke', '--json', '--backend', 'wasm,cpu', '--threads', '1'], c.io);
    expect(code).toBe(0);
    const doc = JSON.parse(c.out.join('')) as { results: Record<string, unknown>[]; summary: Record<string, unknown>[] };
    expect(doc.results.map((r) => `${r['config']}/${r['backend']}`)).toEqual(
      ['tiny/wasm', 'tiny/cpu', 'reference/wasm', 'reference/cpu', 'inference/wasm', 'inference/cpu']);
    for (const r of doc.results) {
      expect(Object.keys(r).sort()).toEqual([
        'backend', 'config', 'gflops', 'micro_batch', 'ms_per_step', 'ms_per_step_max', 'ms_per_step_median', 'ms_per_step_min',
        'ratio_vs_torch', 'threads', 'timed_steps', 'tokens_per_s', 'torch_ms_per_step_max', 'torch_ms_per_step_median',
        'torch_ms_per_step_min', 'torch_threads', 'torch_tokens_per_s', 'wasm_heap_peak_mib',
      ]);
      expect(r['ms_per_step_min']).toBeGreaterThan(0);
      expect(r['ms_per_step_min']).toBeLessThanOrEqual(r['ms_per_step_median'] as number);
      expect(r['ms_per_step_median']).toBeLessThanOrEqual(r['ms_per_step_max'] as number);
      expect(r['torch_tokens_per_s']).toBeNull();
      expect(r['wasm_heap_peak_mib'] === null).toBe(r['backend'] === 'cpu');
    }
    expect(doc.summary.map((s) => `${s['config']}/${s['backend']}/${s['best_threads']}`)).toEqual(
      ['tiny/wasm/1', 'tiny/cpu/1', 'reference/wasm/1', 'reference/cpu/1', 'inference/wasm/1', 'inference/cpu/1']);
  });

  it('counts FLOPs exactly like torch_step.py (27.63 GFLOP for the reference step)', () => {
    // torch_step.py: 6*tok*(L*(4H^2 + 2H*4H) + EH + HE + EV) + 6*L*B*NH*T^2*dh*2 with the defaults
    const tok = 8 * 128;
    const expected = 6 * tok * (4 * (4 * 256 * 256 + 2 * 256 * 1024) + 128 * 256 * 2 + 128 * 8000) + 6 * 4 * 8 * 4 * 128 * 128 * 64 * 2;
    expect(stepFlops(CONFIGS['reference']!)).toBe(expected);
    expect(expected / 1e9).toBeCloseTo(27.632, 3);
  });

  it('parses the PyTorch peers\' summary lines', () => {
    expect(parseTorchOutput('warm-up...\nstep ms 241 (min 230)  GFLOP/s 113.62  tokens/s 4249\n')).toEqual({ msPerStep: 241, gflops: 113.62, tokensPerS: 4249 });
    expect(parseTorchOutput('no torch here')).toBeNull();
    expect(parseTorchAlbertOutput('{"peer": "torch", "threads": 1, "ms_per_step": 45.7, "tokens_per_s": 22413.7}\n')).toBe(45.7);
    expect(parseTorchAlbertOutput('Traceback ...\n{not json\n')).toBeNull();
  });

  it('compares each side at its best thread count', () => {
    const base = { config: 'tiny', backend: 'wasm', micro_batch: 16, ms_per_step_min: 1, ms_per_step_median: 1, ms_per_step_max: 1, timed_steps: 5, gflops: 1, wasm_heap_peak_mib: 10, torch_ms_per_step_min: 1, torch_ms_per_step_median: 1, torch_ms_per_step_max: 1, ratio_vs_torch: 1 };
    const rows = [
      { ...base, threads: 1, ms_per_step: 100, tokens_per_s: 1000, torch_threads: 1, torch_tokens_per_s: 4000 },
      { ...base, threads: 2, ms_per_step: 80, tokens_per_s: 1250, torch_threads: 2, torch_tokens_per_s: 2500 },
    ];
    expect(summarize(rows)).toEqual([{ config: 'tiny', backend: 'wasm', best_threads: 2, tokens_per_s: 1250, torch_best_threads: 1, torch_tokens_per_s: 4000, ratio_best_vs_best: 0.313 }]);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`steps the product model through core, objectives and the trainer pieces on ${backend} (no leaks, loss falls)`, async () => {
      const { useBackend } = await import('@albert-ts/backends');
      await useBackend(backend, { threads: 1 });
      const b = createAlbertBench({ ...SMOKE_CONFIGS['tiny']!, microBatch: 2 });
      try {
        const losses = [albertTrainStep(b, 0, 5e-3)]; // creates the optimizer slots
        const before = tf.memory().numTensors;
        for (let i = 1; i < 6; i++) losses.push(albertTrainStep(b, i, 5e-3));
        expect(tf.memory().numTensors).toBe(before);
        expect(losses[5]!).toBeLessThan(losses[0]!); // the same batch every step
        expect(losses[0]!).toBeGreaterThan(Math.log(50) - 1); // MLM over 50 pieces + SOP at chance, roughly
      } finally {
        disposeAlbertBench(b);
      }
    });
  }

  it('rejects bad arguments with a one-line usage error (exit 2)', async () => {
    expect(() => parseArgs(['--config', 'nope'])).toThrow(BenchUsageError);
    expect(() => parseArgs(['--threads', '0'])).toThrow('--threads needs a positive integer, got 0');
    expect(() => parseArgs(['--config', 'reference', '--micro-batch', '3'])).toThrow('--micro-batch 3 must divide the batch 8');
    const c = capture();
    expect(await main(['--backend', 'webgl'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/^albert-bench: --backend: unknown backend "webgl"[^\n]*\n$/);
  });

  it('the built bin: --json through a slow pipe reader is complete, and the process ends with exit 0', async () => {
    const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
    if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: build the bench first (pnpm build)`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipe-'));
    try {
      const saveTo = path.join(dir, 'stdout.json');
      // Two wasm threads: their workers used to keep the process alive unless it called process.exit().
      const r = await runPiped([bin, '--smoke', '--json', '--backend', 'wasm', '--threads', '2', '--no-torch'],
        { saveTo, timeoutMs: 90_000 });
      expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
      const text = fs.readFileSync(saveTo, 'utf8');
      expect(r.bytes).toBe(Buffer.byteLength(text));
      const doc = JSON.parse(text) as { results: { config: string; ms_per_step: number }[] };
      expect(doc.results.length).toBeGreaterThan(0); // one row per smoke configuration
      for (const row of doc.results) expect(row.ms_per_step).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
