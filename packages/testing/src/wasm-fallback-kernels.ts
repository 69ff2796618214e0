// Test-only fallback: registers `UnsortedSegmentSum` (the gradient of `gather`) for the wasm backend when no other
// package has. `@albert-ts/backends` owns the production kernel; this keeps the model's wasm gradient tests
// runnable on their own. Plain JS over the wasm heap: fine for test-sized tensors.
import * as tf from '@tensorflow/tfjs-core';

interface WasmBackendLike {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Registers the fallback kernel(s) on wasm if missing; returns the names it registered. */
export function registerWasmFallbackKernels(): string[] {
  const registered: string[] = [];
  if (!tf.getKernel(tf.UnsortedSegmentSum, 'wasm')) {
    tf.registerKernel({
      kernelName: tf.UnsortedSegmentSum,
      backendName: 'wasm',
      kernelFunc: ({ inputs, attrs, backend }) => {
        const { x, segmentIds } = inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
        const { numSegments } = attrs as unknown as { numSegments: number };
        const b = backend as unknown as WasmBackendLike;
        const xs = b.readSync(x.dataId);
        const ids = b.readSync(segmentIds.dataId);
        // x: [N, ...rest] with segmentIds [N] (the layout gather's gradient uses); out: [numSegments, ...rest].
        const inner = ids.length === 0 ? 0 : xs.length / ids.length;
        const out = b.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
        const o = b.typedArrayFromHeap(out);
        o.fill(0);
        for (let i = 0; i < ids.length; i++) {
          const s = ids[i];
          if (s < 0 || s >= numSegments) continue;
          for (let k = 0; k < inner; k++) o[s * inner + k] += xs[i * inner + k];
        }
        return out;
      },
    });
    registered.push(tf.UnsortedSegmentSum);
  }
  return registered;
}
