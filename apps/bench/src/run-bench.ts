// Registers tfjs-core's gradients (tfjs-core's CJS entry registers none in Node).
import '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, wasmHeapBytes, type BackendName } from '@albert-ts/backends';
import { stepFlops, type BenchConfig } from './configs.js';
import { createReferenceParams, disposeReferenceParams } from './reference-model.js';
import { createBenchData, disposeBenchData, forwardStep, trainStep } from './train-step.js';
import { runTorchPeer, type TorchResult } from './torch-peer.js';

/** One row of the results (field names are the `--json` output's). */
export interface BenchResult {
  config: string;
  backend: string;
  threads: number;
  ms_per_step: number;
  tokens_per_s: number;
  gflops: number;
  torch_tokens_per_s: number | null;
  ratio_vs_torch: number | null;
}

/** Total kernel time per kernel name over one profiled step, largest first. */
export interface KernelProfile {
  name: string;
  ms: number;
  calls: number;
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Result of timing one configuration on one backend. */
export interface TimedRun {
  msPerStep: number;
  losses: number[];
  profile: KernelProfile[] | null;
}

/** Times `c.steps` steps (after `c.warmup`) of configuration `c` on the active backend. */
export async function timeConfig(c: BenchConfig, profile = false): Promise<TimedRun> {
  const params = createReferenceParams(c);
  const data = createBenchData(c);
  const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
  const step = () => (c.mode === 'train' ? trainStep(params, c, data, opt) : forwardStep(params, c, data));
  try {
    const losses: number[] = [];
    const times: number[] = [];
    for (let i = 0; i < c.warmup + c.steps; i++) {
      const t0 = performance.now();
      losses.push(step());
      const dt = performance.now() - t0;
      if (i >= c.warmup) times.push(dt);
    }
    let kernels: KernelProfile[] | null = null;
    if (profile) {
      const info = await tf.profile(() => {
        step();
      });
      const byName = new Map<string, KernelProfile>();
      for (const k of info.kernels) {
        const e = byName.get(k.name) ?? { name: k.name, ms: 0, calls: 0 };
        e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
        e.calls += 1;
        byName.set(k.name, e);
      }
      kernels = [...byName.values()].sort((a, b) => b.ms - a.ms);
    }
    return { msPerStep: median(times), losses, profile: kernels };
  } finally {
    opt.dispose();
    disposeBenchData(data);
    disposeReferenceParams(params);
  }
}

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  configs: BenchConfig[];
  backends: BackendName[];
  threads: number[];
  torch: boolean;
  profile: boolean;
  /**
   * Called with each finished row (for progress output), its kernel profile when profiling, and the wasm heap
   * size in bytes (its high-water mark: wasm memory never shrinks) or null for other backends.
   */
  onResult?: (r: BenchResult, profile: KernelProfile[] | null, heapBytes: number | null) => void;
}

/** Runs every configuration on every backend (and thread count for wasm), with the PyTorch peer alongside. */
export async function runBench(o: RunBenchOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const torchCache = new Map<string, TorchResult | null>();
  for (const c of o.configs) {
    for (const backend of o.backends) {
      const threadList = backend === 'wasm' ? o.threads : [1];
      for (const threads of threadList) {
        const info = await useBackend(backend, backend === 'wasm' ? { threads } : {});
        const run = await timeConfig(c, o.profile);
        const key = `${c.name}/${info.threads}`;
        if (!torchCache.has(key)) torchCache.set(key, o.torch ? runTorchPeer(c, Math.max(1, info.threads)) : null);
        const peer = torchCache.get(key) ?? null;
        const tokensPerS = (c.batch * c.seqLen) / (run.msPerStep / 1000);
        const r: BenchResult = {
          config: c.name,
          backend,
          threads: info.threads,
          ms_per_step: round(run.msPerStep, 1),
          tokens_per_s: round(tokensPerS, 1),
          gflops: round(stepFlops(c) / (run.msPerStep * 1e6), 2),
          torch_tokens_per_s: peer === null ? null : peer.tokensPerS,
          ratio_vs_torch: peer === null ? null : round(tokensPerS / peer.tokensPerS, 3),
        };
        results.push(r);
        const heap = backend === 'wasm' ? wasmHeapBytes(tf.backend() as unknown as Parameters<typeof wasmHeapBytes>[0]) : null;
        o.onResult?.(r, run.profile, heap);
      }
    }
  }
  return results;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
