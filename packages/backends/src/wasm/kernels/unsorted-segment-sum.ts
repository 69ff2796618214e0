import { UnsortedSegmentSum, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { f32View, i32View, type WasmBackendInternals } from '../internals.js';

/**
 * `UnsortedSegmentSum` for wasm (the stock backend has none; `tf.gather`'s gradient needs it):
 * `out[s, ...] = sum of x[i, ...] over i with segmentIds[i] = s`; ids outside [0, numSegments) are dropped.
 */
export const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as WasmBackendInternals;
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as { numSegments: number };
  const numIds = util.sizeFromShape(segmentIds.shape);
  const inner = numIds === 0 ? 0 : util.sizeFromShape(x.shape) / numIds;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const out = b.makeOutput(outShape, x.dtype);
  const ids = i32View(b, segmentIds);
  const src = x.dtype === 'int32' ? i32View(b, x) : f32View(b, x);
  const dst = x.dtype === 'int32' ? i32View(b, out) : f32View(b, out);
  dst.fill(0);
  for (let i = 0; i < numIds; i++) {
    const s = ids[i]!;
    if (s < 0 || s >= numSegments) continue;
    const so = i * inner;
    const d = s * inner;
    for (let j = 0; j < inner; j++) dst[d + j] += src[so + j]!;
  }
  return out;
};

/** Kernel registration for the wasm backend. */
export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
