import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import { tensorData, type WasmBackendInternals } from '../../internals.js';
import { simdPool } from '../../simd/pool.js';
import { simdKernels, type SimdKernels } from '../../simd/simd-kernels.js';

/** The SIMD kernels of a backend, or an error naming the fused kernel (they are unregistered when unavailable). */
export function requireSimd(b: WasmBackendInternals, kernel: string): SimdKernels {
  const simd = simdKernels(b);
  if (simd === null) throw new Error(`${kernel}: the wasm SIMD kernels are unavailable in this engine`);
  return simd;
}

/** Checks a fused kernel input's dtype (core's ops only dispatch float32 / int32 tensors to these kernels). */
export function expectDtype(kernel: string, name: string, t: TensorInfo, dtype: 'float32' | 'int32'): void {
  if (t.dtype !== dtype) throw new Error(`${kernel}: input ${name} must be ${dtype}, got ${t.dtype}`);
}

/** Heap offset (bytes) of a tensor's data. */
export function ptr(b: WasmBackendInternals, t: TensorInfo): number {
  return tensorData(b, t).memoryOffset;
}

/** Element count of a tensor. */
export function size(t: TensorInfo): number {
  return util.sizeFromShape(t.shape);
}

/** Threads a kernel may split its work over (this one plus the SIMD pool's helpers): scratch is per part. */
export function parts(b: WasmBackendInternals): number {
  return 1 + (simdPool(b)?.size ?? 0);
}

/** Least elements per part of an elementwise or row-wise kernel worth handing to a helper thread. */
export const MIN_PART_ELEMENTS = 1 << 16;

/** Runs `fn` with a temporary float32 buffer of `n` elements on the heap (freed afterwards); `fn` gets its offset. */
export function withScratch<R>(b: WasmBackendInternals, n: number, fn: (offset: number) => R): R {
  const scratch = b.makeOutput([Math.max(1, n)], 'float32');
  try {
    return fn(ptr(b, scratch));
  } finally {
    b.disposeData(scratch.dataId);
  }
}
