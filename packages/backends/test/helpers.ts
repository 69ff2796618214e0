import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/index.js';
// tfjs-core's CJS entry registers no gradients in Node; @albert-ts/core generates them from tfjs-core's own code.
// Imported by URL (not a static import) so that this package neither depends on core nor typechecks its sources.
await import(new URL('../../core/src/tf/register-gradients.generated.ts', import.meta.url).href);

/** Deterministic pseudo-random floats in [-scale, scale) (mulberry32). */
export function randomValues(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

/** Runs `fn` on cpu and on wasm (with `threads`) and returns both results as plain arrays. */
export async function onCpuAndWasm(fn: () => Float32Array[], threads = 1): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  await useBackend('cpu');
  const cpu = fn();
  await useBackend('wasm', { threads });
  const before = tf.memory().numTensors;
  const wasm = fn();
  if (tf.memory().numTensors !== before) throw new Error(`leaked ${tf.memory().numTensors - before} tensors on wasm`);
  return { cpu, wasm };
}

/** Largest |a - b| over all arrays (throws on length mismatch). */
export function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  if (a.length !== b.length) throw new Error(`${a.length} vs ${b.length} arrays`);
  let m = 0;
  a.forEach((x, k) => {
    const y = b[k]!;
    if (x.length !== y.length) throw new Error(`array ${k}: length ${x.length} vs ${y.length}`);
    for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  });
  return Number.isNaN(m) ? Infinity : m;
}

/** Largest |a - b| / max(1, |a|): absolute for values up to 1, relative above (long sums, order-dependent rounding). */
export function maxScaledDiff(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((x, k) => {
    const y = b[k]!;
    if (x.length !== y.length) throw new Error(`array ${k}: length ${x.length} vs ${y.length}`);
    for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!) / Math.max(1, Math.abs(x[i]!)));
  });
  return Number.isNaN(m) ? Infinity : m;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}
