// Kernel profile of one training step of a bench configuration (kernel counts and kernel-time shares, not timings):
//   node <vite-node> --config vitest.config.ts scripts/profile-step.ts [config=tiny] [threads=1]
// env: MICRO (micro-batch), EXCLUDE (kernel names left out, or "all" fused kernels), SHAPES=<kernel> (time by input
// shapes of that kernel), BACKEND. "Kernel calls" counts backend kernels only, not the op scopes tf.profile also lists.
import * as tf from '@tensorflow/tfjs-core';
import '@albert-ts/core';
import { FUSED_WASM_KERNELS, useBackend } from '@albert-ts/backends';
import { CONFIGS } from '../src/configs.js';
import { albertTrainStep, createAlbertBench, disposeAlbertBench } from '../src/albert-step.js';

const name = process.argv[2] ?? 'tiny';
const threads = Number(process.argv[3] ?? 1);
const c = { ...CONFIGS[name]! };
const excludeKernels = process.env.EXCLUDE === 'all' ? FUSED_WASM_KERNELS.map((k) => k.kernelName) : (process.env.EXCLUDE ?? '').split(',').filter(Boolean);
if (process.env.MICRO) c.microBatch = Number(process.env.MICRO);
await useBackend((process.env.BACKEND as 'wasm' | 'cpu') ?? 'wasm', { threads, excludeKernels });
const b = createAlbertBench(c);
albertTrainStep(b, 0);
albertTrainStep(b, 1);
const info = await tf.profile(() => { albertTrainStep(b, 2); });
const byName = new Map<string, { ms: number; calls: number; bytes: number }>();
for (const k of info.kernels) {
  const e = byName.get(k.name) ?? { ms: 0, calls: 0, bytes: 0 };
  e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  e.calls += 1;
  e.bytes += k.totalBytesSnapshot ?? 0;
  byName.set(k.name, e);
}
// tf.profile also lists op scopes (e.g. fusedMatMul__op around _FusedMatMul, custom-gradient scopes): not kernels.
const isKernel = (k: string) => tf.getKernel(k, tf.getBackend()) !== undefined;
for (const k of [...byName.keys()]) if (!isKernel(k)) byName.delete(k);
const total = [...byName.values()].reduce((s, k) => s + k.ms, 0);
const calls = [...byName.values()].reduce((s, k) => s + k.calls, 0);
console.log(`${name}: ${calls} kernel calls per step (micro-batch ${c.microBatch}), kernel ms ${total.toFixed(0)}`);
for (const [k, e] of [...byName].sort((x, y) => y[1].ms - x[1].ms).slice(0, 30)) {
  console.log(`  ${k.padEnd(24)} ${String(e.calls).padStart(6)} calls ${e.ms.toFixed(1).padStart(8)} ms ${(100 * e.ms / total).toFixed(1).padStart(5)}%`);
}
disposeAlbertBench(b);
if (process.env.SHAPES) {
  const shapes = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    if (k.name !== process.env.SHAPES) continue;
    const key = JSON.stringify(k.inputShapes);
    const e = shapes.get(key) ?? { ms: 0, calls: 0 };
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls += 1;
    shapes.set(key, e);
  }
  for (const [k, e] of [...shapes].sort((x, y) => y[1].ms - x[1].ms)) console.log(`  ${k.padEnd(40)} ${String(e.calls).padStart(5)} ${e.ms.toFixed(1).padStart(8)} ms`);
}
process.exit(0);
