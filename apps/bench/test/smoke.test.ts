import { describe, expect, it } from 'vitest';
// Gradients for tfjs-core (normally registered by importing @albert-ts/core).
import '@albert-ts/core';
import { main } from '../src/main.js';
import { parseArgs, BenchUsageError } from '../src/args.js';
import { stepFlops, CONFIGS } from '../src/configs.js';
import { parseTorchOutput } from '../src/torch-peer.js';

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
    const doc = JSON.parse(c.out.join('')) as { results: Record<string, unknown>[] };
    expect(doc.results.map((r) => `${r['config']}/${r['backend']}`)).toEqual(['reference/wasm', 'reference/cpu', 'inference/wasm', 'inference/cpu']);
    for (const r of doc.results) {
      expect(Object.keys(r).sort()).toEqual(['backend', 'config', 'gflops', 'ms_per_step', 'ratio_vs_torch', 'threads', 'tokens_per_s', 'torch_tokens_per_s']);
      expect(r['ms_per_step']).toBeGreaterThan(0);
      expect(r['torch_tokens_per_s']).toBeNull();
    }
  });

  it('counts FLOPs exactly like torch_step.py (27.63 GFLOP for the reference step)', () => {
    // torch_step.py: 6*tok*(L*(4H^2 + 2H*4H) + EH + HE + EV) + 6*L*B*NH*T^2*dh*2 with the defaults
    const tok = 8 * 128;
    const expected = 6 * tok * (4 * (4 * 256 * 256 + 2 * 256 * 1024) + 128 * 256 * 2 + 128 * 8000) + 6 * 4 * 8 * 4 * 128 * 128 * 64 * 2;
    expect(stepFlops(CONFIGS['reference']!)).toBe(expected);
    expect(expected / 1e9).toBeCloseTo(27.632, 3);
  });

  it('parses the PyTorch peer summary line', () => {
    expect(parseTorchOutput('warm-up...\nstep ms 241 (min 230)  GFLOP/s 113.62  tokens/s 4249\n')).toEqual({ msPerStep: 241, gflops: 113.62, tokensPerS: 4249 });
    expect(parseTorchOutput('no torch here')).toBeNull();
  });

  it('rejects bad arguments with a one-line usage error (exit 2)', async () => {
    expect(() => parseArgs(['--config', 'nope'])).toThrow(BenchUsageError);
    expect(() => parseArgs(['--threads', '0'])).toThrow('--threads needs a positive integer, got 0');
    expect(() => parseArgs(['--config', 'reference', '--micro-batch', '3'])).toThrow('--micro-batch 3 must divide the batch 8');
    const c = capture();
    expect(await main(['--backend', 'webgl'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/^albert-bench: --backend: unknown backend "webgl"[^\n]*\n$/);
  });
});
