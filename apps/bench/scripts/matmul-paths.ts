// XNNPACK (through the backend's BatchMatMul: transposes + packing) against the SIMD GEMM `gemm_f32` of
// @albert-ts/backends for the product shapes of tiny / small / albert-base training (NN forward, NT input gradients,
// TN weight gradients). Interleaved, best of 3 batches of repetitions; timings only mean something on a quiet machine.
//   node <vite-node> --config vitest.config.ts scripts/matmul-paths.ts [threads=1] [filter]
import * as tf from '@tensorflow/tfjs-core';
import '@albert-ts/core';
import { useBackend } from '@albert-ts/backends';
import { simdKernels } from '../../../packages/backends/src/wasm/simd/simd-kernels.js';
import { tensorData } from '../../../packages/backends/src/wasm/internals.js';

const threads = Number(process.argv[2] ?? 1);
const filter = process.argv[3] ?? '';
await useBackend('wasm', { threads });
const b = tf.backend() as never;
const simd = simdKernels(b)!;
// [tokens, in, out] of the Linear layers at each shape
const layers: [string, number, number, number][] = [
  ['tiny', 1024, 64, 64], ['tiny', 1024, 64, 256], ['tiny', 1024, 256, 64],
  ['small', 4096, 128, 128], ['small', 4096, 128, 512], ['small', 4096, 512, 128],
  ['base', 512, 768, 768], ['base', 512, 768, 3072], ['base', 512, 3072, 768],
];
const ptr = (t: tf.Tensor) => tensorData(b, t).memoryOffset;
for (const [shape, T, I, O] of layers) {
  for (const kind of ['NN', 'NT', 'TN'] as const) {
    const label = `${shape} ${kind} tokens=${T} in=${I} out=${O}`;
    if (!label.includes(filter)) continue;
    // NN: y = x W ([T,I]@[I,O]); NT: dx = dy Wᵀ ([T,O]@[I,O]ᵀ); TN: dW = xᵀ dy ([T,I]ᵀ@[T,O])
    const [aShape, bShape, ta, tb, M, N, K] = kind === 'NN' ? [[T, I], [I, O], false, false, T, O, I]
      : kind === 'NT' ? [[T, O], [I, O], false, true, T, I, O] : [[T, I], [T, O], true, false, I, O, T];
    const a = tf.randomNormal(aShape as number[]); const w = tf.randomNormal(bShape as number[]);
    const out = tf.zeros([M, N]);
    const scratch = tf.zeros([(M + 8) * 128 + 128 * 256]);
    const reps = Math.max(2, Math.round(2e8 / (M * N * K)));
    const time = (f: () => void) => { const t0 = performance.now(); for (let r = 0; r < reps; r++) f(); return (performance.now() - t0) / reps; };
    // a fresh right operand per call, as in training (XNNPACK packs it again)
    const xnn = () => tf.tidy(() => { tf.matMul(a, tf.add(w, 0), ta, tb).dataSync(); });
    const direct = () => tf.tidy(() => {
      const wf = tf.add(w, 0);
      const [sai, sak] = ta ? [1, M] : [K, 1];
      const [sbk, sbj] = tb ? [1, K] : [N, 1];
      simd.gemm_f32(ptr(a), sai, sak, ptr(wf), sbk, sbj, ptr(out), N, M, N, K, 0, 0, ptr(scratch));
    });
    const best = [Infinity, Infinity];
    for (let k = 0; k < 3; k++) { best[0] = Math.min(best[0]!, time(xnn)); best[1] = Math.min(best[1]!, time(direct)); }
    const ref = tf.matMul(a, w, ta, tb);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(ref, out))).dataSync()[0]!);
    const g = (ms: number) => ((2 * M * N * K) / ms / 1e6).toFixed(1);
    console.log(`${label.padEnd(40)} XNNPACK ${best[0]!.toFixed(2).padStart(7)} ms ${g(best[0]!).padStart(5)} GFLOP/s   gemm_f32 ${best[1]!.toFixed(2).padStart(7)} ms ${g(best[1]!).padStart(5)} GFLOP/s   |diff| ${diff.toExponential(1)}`);
    tf.dispose([a, w, out, scratch, ref]);
  }
}
process.exit(0);
