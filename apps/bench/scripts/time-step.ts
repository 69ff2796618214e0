// Wall time of N training steps of a bench configuration (rough; only meaningful on a quiet machine):
//   node <vite-node> --config vitest.config.ts scripts/time-step.ts [config=tiny] [threads=1] [steps=5]
// env: MICRO (micro-batch), EXCLUDE (kernel names left out, e.g. AlbertLayerNorm,AlbertLayerNormGrad), BACKEND
import '@albert-ts/core';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, wasmHeapBytes } from '@albert-ts/backends';
import { CONFIGS } from '../src/configs.js';
import { albertTrainStep, createAlbertBench, disposeAlbertBench } from '../src/albert-step.js';

const name = process.argv[2] ?? 'tiny';
const c = { ...CONFIGS[name]! };
if (process.env.MICRO) c.microBatch = Number(process.env.MICRO);
const excludeKernels = process.env.EXCLUDE ? process.env.EXCLUDE.split(',') : [];
await useBackend((process.env.BACKEND as 'wasm' | 'cpu') ?? 'wasm', { threads: Number(process.argv[3] ?? 1), excludeKernels });
const b = createAlbertBench(c);
albertTrainStep(b, 0);
const times: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < Number(process.argv[4] ?? 5); i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const loss = albertTrainStep(b, i + 1);
  const c1 = process.cpuUsage(c0);
  times.push(performance.now() - t0);
  cpu.push((c1.user + c1.system) / 1000);
  if (!Number.isFinite(loss)) throw new Error(`loss ${loss}`);
}
const heap = tf.getBackend() === 'wasm' ? wasmHeapBytes(tf.backend() as never) / 2 ** 20 : 0;
console.log(`${name} (micro-batch ${c.microBatch}): ms/step ${times.map((t) => t.toFixed(0)).join(' ')} (cpu ms ${cpu.map((t) => t.toFixed(0)).join(' ')}), wasm heap ${heap.toFixed(0)} MiB`);
disposeAlbertBench(b);
process.exit(0);
