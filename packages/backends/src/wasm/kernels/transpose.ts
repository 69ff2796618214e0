import { Transpose, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { heapBuffer, tensorData, type WasmBackendInternals } from '../internals.js';
import { simdKernels } from '../simd/simd-kernels.js';
import { runStock } from './stock.js';
import { planBlockTranspose } from './transpose-plan.js';

/**
 * `Transpose` for wasm: permutations that swap two adjacent axis groups (2-D transposes, batched last-two-axes
 * swaps, attention's [B,T,NH,dh] <-> [B,NH,T,dh]) run as tiled 4x4 SIMD transposes or contiguous block copies;
 * the stock kernel (a scalar loop over every element) handles the rest and non-float32 tensors.
 */
export const transpose: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const b = backend as unknown as WasmBackendInternals;
  const { x } = inputs as { x: TensorInfo };
  const { perm } = attrs as unknown as { perm: number[] };
  const simd = simdKernels(b);
  const plan = x.dtype === 'float32' && simd !== null ? planBlockTranspose(x.shape, perm) : null;
  if (plan === null || simd === null) return runStock(Transpose, args);
  const outShape = perm.map((a) => x.shape[a]!);
  const out = b.makeOutput(outShape, 'float32');
  const src = tensorData(b, x).memoryOffset;
  const dst = tensorData(b, out).memoryOffset;
  const n = plan.batch * plan.rows * plan.cols * plan.inner;
  if (n === 0) return out;
  if (plan.rows === 1 || plan.cols === 1) {
    const heap = heapBuffer(b.wasm);
    new Float32Array(heap, dst, n).set(new Float32Array(heap, src, n));
  } else {
    simd.transpose_blocks(src, dst, plan.batch, plan.rows, plan.cols, plan.inner);
  }
  return out;
};

/** Kernel registration for the wasm backend (replaces the stock `Transpose`, falling back to it). */
export const transposeConfig: KernelConfig = { kernelName: Transpose, backendName: 'wasm', kernelFunc: transpose };
