// Registers tfjs-core's gradients (tfjs-core's CJS entry registers none in Node).
import '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, wasmHeapBytes, type BackendName } from '@albert-ts/backends';
import { albertTrainStep, createAlbertBench, disposeAlbertBench } from './albert-step.js';
import { stepFlops, type BenchConfig } from './configs.js';
import { createReferenceParams, disposeReferenceParams } from './reference-model.js';
import { createBenchData, disposeBenchData, forwardStep, trainStep } from './train-step.js';
import { runTorchAlbertPeer, runTorchPeer } from './torch-peer.js';

/** One row of the results (field names are the `--json` output's). Times are per optimizer step. */
export interface BenchResult {
  config: string;
  backend: string;
  threads: number;
  /** Sequences per micro-batch (the step accumulates `batch / micro_batch` of them). */
  micro_batch: number;
  /** Median over the timed steps (= `ms_per_step_median`, kept for continuity). */
  ms_per_step: number;
  ms_per_step_min: number;
  ms_per_step_median: number;
  ms_per_step_max: number;
  /** Timed steps behind the three figures above. */
  timed_steps: number;
  tokens_per_s: number;
  gflops: number;
  /** wasm heap size after the run in MiB: its high-water mark, as wasm memory never shrinks (null off wasm). */
  wasm_heap_peak_mib: number | null;
  /** Thread count of the PyTorch peer in this row (the same as `threads`), null when no peer ran. */
  torch_threads: number | null;
  torch_ms_per_step_min: number | null;
  torch_ms_per_step_median: number | null;
  torch_ms_per_step_max: number | null;
  torch_tokens_per_s: number | null;
  /** tokens_per_s / torch_tokens_per_s at the same thread count. */
  ratio_vs_torch: number | null;
}

/** Per configuration and backend: each side at its best thread count (the acceptance comparison). */
export interface BenchSummary {
  config: string;
  backend: string;
  best_threads: number;
  tokens_per_s: number;
  torch_best_threads: number | null;
  torch_tokens_per_s: number | null;
  /** Best-vs-best throughput ratio (null without a peer). */
  ratio_best_vs_best: number | null;
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
  /** ms of each timed step. */
  times: number[];
  /** ms of each PyTorch peer step, run interleaved with the timed steps (empty when no peer ran). */
  torchTimes: number[];
  losses: number[];
  profile: KernelProfile[] | null;
}

/** Kernel time by kernel name over one call of `step`, largest first. */
async function profileStep(step: () => void): Promise<KernelProfile[]> {
  const info = await tf.profile(step);
  const byName = new Map<string, KernelProfile>();
  for (const k of info.kernels) {
    const e = byName.get(k.name) ?? { name: k.name, ms: 0, calls: 0 };
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls += 1;
    byName.set(k.name, e);
  }
  return [...byName.values()].sort((a, b) => b.ms - a.ms);
}

/** Runs `c.warmup` untimed then `c.steps` timed calls of `step`, each timed call followed by `between` (untimed). */
async function timeSteps(
  c: BenchConfig, step: () => number, between: (() => void) | null, profile: boolean,
): Promise<Omit<TimedRun, 'torchTimes'>> {
  const losses: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < c.warmup + c.steps; i++) {
    const t0 = performance.now();
    losses.push(step());
    const dt = performance.now() - t0;
    if (i >= c.warmup) {
      times.push(dt);
      between?.();
    }
  }
  return { times, losses, profile: profile ? await profileStep(() => { step(); }) : null };
}

/** Times the reference / inference step of the hand-written mirror model (`model: 'reference'`). */
export async function timeConfig(c: BenchConfig, profile = false): Promise<TimedRun> {
  const params = createReferenceParams(c);
  const data = createBenchData(c);
  const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
  const step = () => (c.mode === 'train' ? trainStep(params, c, data, opt) : forwardStep(params, c, data));
  try {
    return { ...(await timeSteps(c, step, null, profile)), torchTimes: [] };
  } finally {
    opt.dispose();
    disposeBenchData(data);
    disposeReferenceParams(params);
  }
}

/**
 * Times the product's own pretraining step (`model: 'albert'`): each timed step is followed by one step of the
 * PyTorch peer at the same thread count (`torchThreads`, null for none), so load drift hits both sides alike.
 */
export async function timeAlbert(c: BenchConfig, torchThreads: number | null, profile = false): Promise<TimedRun> {
  const bench = createAlbertBench(c);
  const torchTimes: number[] = [];
  let n = 0;
  const step = () => albertTrainStep(bench, n++);
  const between = torchThreads === null ? null : () => {
    const ms = runTorchAlbertPeer(c, torchThreads);
    if (ms !== null) torchTimes.push(ms);
  };
  try {
    return { ...(await timeSteps(c, step, between, profile)), torchTimes };
  } finally {
    disposeAlbertBench(bench);
  }
}

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  configs: BenchConfig[];
  backends: BackendName[];
  threads: number[];
  torch: boolean;
  profile: boolean;
  /** Kernel names to leave out on wasm (what they buy: compare with a run without this option). */
  excludeKernels?: readonly string[];
  /** Called with each finished row (for progress output) and its kernel profile when profiling. */
  onResult?: (r: BenchResult, profile: KernelProfile[] | null) => void;
}

/** Results plus the best-thread-count comparison of each configuration and backend. */
export interface BenchOutput {
  results: BenchResult[];
  summary: BenchSummary[];
}

/** The torch side of a reference row: torch_step.py once per configuration and thread count (not interleaved). */
function referencePeer(c: BenchConfig, threads: number): number[] {
  const r = c.mode === 'train' ? runTorchPeer(c, threads) : null;
  return r === null ? [] : [r.msPerStep];
}

/** Runs every configuration on every backend (and thread count for wasm), with the PyTorch peer alongside. */
export async function runBench(o: RunBenchOptions): Promise<BenchOutput> {
  const results: BenchResult[] = [];
  for (const c of o.configs) {
    for (const backend of o.backends) {
      const threadList = backend === 'wasm' ? o.threads : [1];
      for (const threads of threadList) {
        // A fresh wasm backend per run, so that its heap size is this run's high-water mark.
        if (backend === 'wasm' && tf.findBackend('wasm') !== null) tf.removeBackend('wasm');
        const info = await useBackend(backend, backend === 'wasm' ? { threads, excludeKernels: o.excludeKernels } : {});
        const peerThreads = Math.max(1, info.threads);
        const run = c.model === 'albert'
          ? await timeAlbert(c, o.torch ? peerThreads : null, o.profile)
          : { ...(await timeConfig(c, o.profile)), torchTimes: o.torch ? referencePeer(c, peerThreads) : [] };
        const heap = backend === 'wasm' ? wasmHeapBytes(tf.backend() as unknown as Parameters<typeof wasmHeapBytes>[0]) : null;
        const r = row(c, backend, info.threads, run, heap, peerThreads);
        results.push(r);
        o.onResult?.(r, run.profile);
      }
    }
  }
  return { results, summary: summarize(results) };
}

function row(c: BenchConfig, backend: string, threads: number, run: TimedRun, heap: number | null, peerThreads: number): BenchResult {
  const ms = median(run.times);
  const tokens = c.batch * c.seqLen;
  const torchMs = run.torchTimes.length > 0 ? median(run.torchTimes) : null;
  const tokensPerS = tokens / (ms / 1000);
  const torchTokensPerS = torchMs === null ? null : tokens / (torchMs / 1000);
  return {
    config: c.name, backend, threads, micro_batch: c.microBatch,
    ms_per_step: round(ms, 1), ms_per_step_min: round(Math.min(...run.times), 1), ms_per_step_median: round(ms, 1),
    ms_per_step_max: round(Math.max(...run.times), 1), timed_steps: run.times.length,
    tokens_per_s: round(tokensPerS, 1), gflops: round(stepFlops(c) / (ms * 1e6), 2),
    wasm_heap_peak_mib: heap === null ? null : round(heap / 2 ** 20, 0),
    torch_threads: torchMs === null ? null : peerThreads,
    torch_ms_per_step_min: torchMs === null ? null : round(Math.min(...run.torchTimes), 1),
    torch_ms_per_step_median: torchMs === null ? null : round(torchMs, 1),
    torch_ms_per_step_max: torchMs === null ? null : round(Math.max(...run.torchTimes), 1),
    torch_tokens_per_s: torchTokensPerS === null ? null : round(torchTokensPerS, 1),
    ratio_vs_torch: torchTokensPerS === null ? null : round(tokensPerS / torchTokensPerS, 3),
  };
}

/** Each side at its own best thread count, per configuration and backend. */
export function summarize(results: BenchResult[]): BenchSummary[] {
  const out: BenchSummary[] = [];
  for (const key of new Set(results.map((r) => `${r.config}\u0000${r.backend}`))) {
    const rows = results.filter((r) => `${r.config}\u0000${r.backend}` === key);
    const best = rows.reduce((a, b) => (b.tokens_per_s > a.tokens_per_s ? b : a));
    const withTorch = rows.filter((r) => r.torch_tokens_per_s !== null);
    const torchBest = withTorch.length === 0 ? null : withTorch.reduce((a, b) => (b.torch_tokens_per_s! > a.torch_tokens_per_s! ? b : a));
    out.push({
      config: best.config, backend: best.backend, best_threads: best.threads, tokens_per_s: best.tokens_per_s,
      torch_best_threads: torchBest?.torch_threads ?? null, torch_tokens_per_s: torchBest?.torch_tokens_per_s ?? null,
      ratio_best_vs_best: torchBest === null ? null : round(best.tokens_per_s / torchBest.torch_tokens_per_s!, 3),
    });
  }
  return out;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
