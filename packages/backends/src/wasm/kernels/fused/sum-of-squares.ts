import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { f32View, type WasmBackendInternals } from '../../internals.js';
import { expectDtype, ptr, requireSimd, size } from './common.js';
import { FUSED_KERNEL_NAMES } from './names.js';

const NAME = FUSED_KERNEL_NAMES.sumOfSquares;

/** Σ x² over every element of every input, in one kernel for all of them: `{x0, x1, ...}` → scalar. */
const sumOfSquares: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WasmBackendInternals;
  const simd = requireSimd(b, NAME);
  let total = 0;
  for (const [k, t] of Object.entries(inputs as Record<string, TensorInfo>)) {
    expectDtype(NAME, k, t, 'float32');
    if (size(t) > 0) total = Math.fround(total + simd.sum_squares_f32(ptr(b, t), size(t)));
  }
  const out = b.makeOutput([], 'float32');
  f32View(b, out)[0] = total;
  return out;
};

export const sumOfSquaresConfig: KernelConfig = { kernelName: NAME, backendName: 'wasm', kernelFunc: sumOfSquares };
