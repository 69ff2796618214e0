// Peak wasm heap of the product's pretraining step at a bench configuration (memory, not time):
//   node <vite-node> --config vitest.config.ts scripts/heap-peak.ts [config=albert-base] [micro-batch,..=4,8] [threads=1]
// For each micro-batch: a fresh wasm backend, two optimizer steps (effective batch of the configuration), then the
// heap size (its high-water mark: wasm memory never grows back) and the high-water mark of the bytes of live tensor
// buffers allocated from JavaScript (the rest of the heap is XNNPACK scratch and allocator slack).
import * as tf from '@tensorflow/tfjs-core';
import '@albert-ts/core';
import { BackendError, useBackend, wasmHeapBytes } from '@albert-ts/backends';
import { CONFIGS } from '../src/configs.js';
import { albertTrainStep, createAlbertBench, disposeAlbertBench } from '../src/albert-step.js';

interface Wasm { _malloc(n: number): number; _free(p: number): void }
const name = process.argv[2] ?? 'albert-base';
const micros = (process.argv[3] ?? '4,8').split(',').map(Number);
const threads = Number(process.argv[4] ?? 1);
const MiB = 2 ** 20;
for (const micro of micros) {
  const c = { ...CONFIGS[name]!, microBatch: micro, batch: Math.max(CONFIGS[name]!.batch, micro) };
  if (tf.findBackend('wasm') !== null) tf.removeBackend('wasm');
  await useBackend('wasm', { threads });
  const backend = tf.backend() as unknown as { wasm: Wasm };
  const sizes = new Map<number, number>();
  let live = 0;
  let liveMax = 0;
  const malloc = backend.wasm._malloc.bind(backend.wasm);
  const free = backend.wasm._free.bind(backend.wasm);
  backend.wasm._malloc = (n: number) => {
    const p = malloc(n);
    sizes.set(p, n);
    live += n;
    liveMax = Math.max(liveMax, live);
    return p;
  };
  backend.wasm._free = (p: number) => {
    live -= sizes.get(p) ?? 0;
    sizes.delete(p);
    free(p);
  };
  const b = createAlbertBench(c);
  try {
    const t0 = performance.now();
    for (let step = 0; step < 2; step++) albertTrainStep(b, step);
    const heap = wasmHeapBytes(tf.backend() as never);
    console.log(`${name} micro-batch ${micro} (effective batch ${c.batch}, ${c.batch / micro} micro-batches): wasm heap ` +
      `${(heap / MiB).toFixed(0)} MiB, live tensor buffers at most ${(liveMax / MiB).toFixed(0)} MiB ` +
      `(${((performance.now() - t0) / 2000).toFixed(1)} s/step)`);
  } catch (e) {
    if (!(e instanceof BackendError)) throw e;
    console.log(`${name} micro-batch ${micro}: ${e.message}`);
  } finally {
    disposeAlbertBench(b);
  }
}
process.exit(0); // the threaded backend's workers would keep Node alive
