// What kernels buy, measured in one process so that machine load hits both sides alike: alternates training steps
// with every kernel (A) and with the kernels named in EXCLUDE left out (B: stock kernel or core's composite op),
// on the same model, and prints CPU and wall milliseconds per step (medians) of each side.
//   EXCLUDE=AlbertLayerNorm,AlbertLayerNormGrad node <vite-node> --config vitest.config.ts scripts/ab-kernels.ts [config=tiny] [threads=1] [rounds=8]
// EXCLUDE=all leaves out every fused kernel. MICRO sets the micro-batch.
import * as tf from '@tensorflow/tfjs-core';
import '@albert-ts/core';
import { useBackend, FUSED_WASM_KERNELS } from '@albert-ts/backends';
import { CONFIGS } from '../src/configs.js';
import { albertTrainStep, createAlbertBench, disposeAlbertBench } from '../src/albert-step.js';
import { median } from '../src/run-bench.js';

const name = process.argv[2] ?? 'tiny';
const threads = Number(process.argv[3] ?? 1);
const rounds = Number(process.argv[4] ?? 8);
const c = { ...CONFIGS[name]! };
if (process.env.MICRO) c.microBatch = Number(process.env.MICRO);
const exclude = process.env.EXCLUDE === 'all' ? FUSED_WASM_KERNELS.map((k) => k.kernelName) : (process.env.EXCLUDE ?? '').split(',').filter(Boolean);
if (exclude.length === 0) throw new Error('set EXCLUDE to the kernel names of side B (or "all")');
await useBackend('wasm', { threads });
const b = createAlbertBench(c);
const sides = { A: { cpu: [] as number[], wall: [] as number[], kernels: 0 }, B: { cpu: [] as number[], wall: [] as number[], kernels: 0 } };
let step = 0;
for (let r = 0; r < rounds + 1; r++) {
  for (const side of ['A', 'B'] as const) {
    await useBackend('wasm', { threads, excludeKernels: side === 'A' ? [] : exclude });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    albertTrainStep(b, step++);
    const c1 = process.cpuUsage(c0);
    if (r === 0) {
      // backend kernels only (tf.profile also lists op scopes such as fusedMatMul__op)
      const info = await tf.profile(() => { albertTrainStep(b, step++); });
      sides[side].kernels = info.kernels.filter((k) => tf.getKernel(k.name, tf.getBackend()) !== undefined).length;
      continue; // warm-up round
    }
    sides[side].wall.push(performance.now() - t0);
    sides[side].cpu.push((c1.user + c1.system) / 1000);
  }
}
const f = (s: typeof sides.A) => `cpu ${median(s.cpu).toFixed(1)} ms, wall ${median(s.wall).toFixed(1)} ms, ${s.kernels} kernel calls`;
console.log(`${name} (threads ${threads}, micro-batch ${c.microBatch}, ${rounds} rounds; medians per step)`);
console.log(`  A all kernels:       ${f(sides.A)}`);
console.log(`  B without ${exclude.length > 3 ? `${exclude.length} kernels` : exclude.join(',')}: ${f(sides.B)}`);
console.log(`  B / A cpu: ${(median(sides.B.cpu) / median(sides.A.cpu)).toFixed(2)}x`);
disposeAlbertBench(b);
process.exit(0);
