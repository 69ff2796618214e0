import type { WasmBackendInternals } from '../internals.js';
import type { SimdKernels } from './simd-kernels.js';

/** Names of the SIMD kernels a pool can run (exports of csrc/simd-kernels.c). */
export type SimdKernelName = keyof SimdKernels;

/**
 * Helper threads that run the SIMD kernels on the backend's own (shared) memory: `run` executes `calls[0]` on the
 * calling thread and the others on the helpers, and returns when all are done. Created in Node for a threaded
 * backend (`useBackend('wasm', { threads: n })` starts n − 1 helpers); kernels split their work across
 * `1 + size` parts.
 */
export interface SimdPool {
  /** Helper threads (besides the calling thread). */
  readonly size: number;
  run(name: SimdKernelName, calls: readonly (readonly number[])[]): void;
  /** Stops the helpers. */
  close(): void;
}

const pools = new WeakMap<object, SimdPool>();

/** The pool of a backend, or null (single-threaded, not Node, or not started). */
export function simdPool(b: WasmBackendInternals): SimdPool | null {
  return pools.get(b.wasm) ?? null;
}

/** Attaches a pool to a backend (replacing and closing any previous one). */
export function setSimdPool(b: WasmBackendInternals, pool: SimdPool | null): void {
  pools.get(b.wasm)?.close();
  if (pool === null) pools.delete(b.wasm);
  else pools.set(b.wasm, pool);
}

/**
 * Runs `name` over `parts` ranges: `argsOf(start, end)` gives the arguments for the range [start, end) of `0..n`
 * (ranges aligned to `align`). With a pool and at least `minPerPart` units per part the ranges run in parallel;
 * otherwise one call covers everything on this thread.
 */
export function splitRun(
  b: WasmBackendInternals, simd: SimdKernels, name: SimdKernelName, n: number, minPerPart: number, align: number,
  argsOf: (start: number, end: number, part: number) => number[],
): void {
  const pool = simdPool(b);
  const parts = pool === null ? 1 : Math.max(1, Math.min(1 + pool.size, Math.floor(n / Math.max(1, minPerPart))));
  if (parts <= 1) {
    (simd[name] as (...args: number[]) => unknown)(...argsOf(0, n, 0));
    return;
  }
  const step = Math.ceil(n / parts / align) * align;
  const calls: number[][] = [];
  for (let p = 0, start = 0; start < n; p++, start += step) calls.push(argsOf(start, Math.min(n, start + step), p));
  pool!.run(name, calls);
}
