import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchConfig } from './configs.js';

/** Result of one PyTorch run of torch_step.py. */
export interface TorchResult {
  msPerStep: number;
  tokensPerS: number;
  gflops: number;
}

/** Finds the repository root (the directory holding pnpm-workspace.yaml) above this file. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** Path of the PyTorch peer script: $ALBERT_BENCH_TORCH_SCRIPT or `<repo>/../shared/bench/torch_step.py`. */
export function torchScriptPath(): string {
  return process.env['ALBERT_BENCH_TORCH_SCRIPT'] ?? path.resolve(repoRoot(), '..', 'shared', 'bench', 'torch_step.py');
}

/**
 * Path of the peer of the product's own model: $ALBERT_BENCH_TORCH_ALBERT_SCRIPT or `torch_albert_step.py` beside
 * the reference peer (`<repo>/../shared/bench/`).
 */
export function torchAlbertScriptPath(): string {
  return process.env['ALBERT_BENCH_TORCH_ALBERT_SCRIPT'] ?? path.join(path.dirname(torchScriptPath()), 'torch_albert_step.py');
}

/** Python interpreter for the peer: $ALBERT_BENCH_PYTHON or /usr/bin/python3 (Debian's torch lives there). */
export function pythonPath(): string {
  return process.env['ALBERT_BENCH_PYTHON'] ?? '/usr/bin/python3';
}

const torchImports = new Map<string, boolean>();

/** True when the interpreter exists, imports torch, and the peer script (default: torch_step.py) exists. */
export function torchAvailable(script = torchScriptPath()): boolean {
  if (!fs.existsSync(script) || !fs.existsSync(pythonPath())) return false;
  const known = torchImports.get(pythonPath());
  if (known !== undefined) return known;
  const r = spawnSync(pythonPath(), ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
  torchImports.set(pythonPath(), r.status === 0);
  return r.status === 0;
}

/** Parses torch_step.py's summary line `step ms 241 (min 230)  GFLOP/s 112.3  tokens/s 4250`. */
export function parseTorchOutput(stdout: string): TorchResult | null {
  const m = /step ms ([\d.]+) \(min [\d.]+\)\s+GFLOP\/s ([\d.]+)\s+tokens\/s ([\d.]+)/.exec(stdout);
  if (m === null) return null;
  return { msPerStep: Number(m[1]), gflops: Number(m[2]), tokensPerS: Number(m[3]) };
}

/**
 * Runs the PyTorch peer for the same model and step (full batch, no micro-batching) with `threads` threads.
 * Returns null when python3/torch is unavailable, the configuration is not a training step, or the run fails.
 */
export function runTorchPeer(c: BenchConfig, threads: number, steps = 3): TorchResult | null {
  if (c.mode !== 'train' || !torchAvailable()) return null;
  const args = [
    torchScriptPath(), String(threads), String(steps),
    ...[c.batch, c.seqLen, c.hidden, c.layers, c.embedding, c.vocab, c.heads].map(String),
  ];
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  const r = spawnSync(pythonPath(), args, { encoding: 'utf8', env, timeout: 600_000 });
  if (r.status !== 0) return null;
  return parseTorchOutput(r.stdout);
}

/**
 * One run of torch_albert_step.py for an `albert` configuration: the same model shape (one shared group, gelu_new),
 * full batch, sequence length and masked positions, LAMB, `threads` threads, `steps` timed steps after its 2
 * warm-up steps. Returns its median ms per step, or null when the peer is unavailable or fails.
 */
export function runTorchAlbertPeer(c: BenchConfig, threads: number, steps = 1): number | null {
  if (c.model !== 'albert' || !torchAvailable(torchAlbertScriptPath())) return null;
  const args = [
    torchAlbertScriptPath(), '--threads', String(threads), '--H', String(c.hidden), '--L', String(c.layers),
    '--E', String(c.embedding), '--V', String(c.vocab), '--heads', String(c.heads), '--I', String(c.intermediate),
    '--groups', '1', '--inner', '1', '--batch', String(c.batch), '--seq', String(c.seqLen), '--masked', String(c.masked),
    '--steps', String(steps), '--optimizer', 'lamb', '--json',
  ];
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  const r = spawnSync(pythonPath(), args, { encoding: 'utf8', env, timeout: 1_800_000 });
  if (r.status !== 0) return null;
  return parseTorchAlbertOutput(r.stdout);
}

/** Parses torch_albert_step.py's `--json` line (`{"ms_per_step": 45.7, ...}`); null when absent. */
export function parseTorchAlbertOutput(stdout: string): number | null {
  for (const line of stdout.split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      const ms = (JSON.parse(line) as { ms_per_step?: unknown }).ms_per_step;
      if (typeof ms === 'number' && ms > 0) return ms;
    } catch {
      // not the summary line
    }
  }
  return null;
}
