import { _FusedMatMul, broadcast_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../internals.js';
import { simdKernels } from '../simd/simd-kernels.js';
import { directProducts, useDirectGemm } from './batch-mat-mul.js';
import { runStock } from './stock.js';

/**
 * `_FusedMatMul` (`tf.fused.matMul`: core's `Linear`) for wasm: a product with a rank-1 bias and no activation runs
 * in our SIMD GEMM with the bias as the initial value of each output row, when `useDirectGemm` prefers it or an
 * operand is transposed (the stock kernel then takes a scalar loop that also adds the bias at wrong indices);
 * untransposed products on several threads, any other activation and prelu weights go to the stock kernel.
 */
export const fusedMatMul: KernelFunc = (args) => {
  const b = args.backend as unknown as WasmBackendInternals;
  const { a, b: bIn, bias, preluActivationWeights } = args.inputs as {
    a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo;
  };
  const { transposeA, transposeB, activation } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean; activation: string };
  const simd = simdKernels(b);
  const ra = a.shape.length;
  const rb = bIn.shape.length;
  const M = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const K = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const N = transposeB ? bIn.shape[rb - 2]! : bIn.shape[rb - 1]!;
  const plain = (activation === 'linear' || activation === undefined) && preluActivationWeights == null &&
    (bias == null || (bias.shape.length === 1 && bias.shape[0] === N && bias.dtype === 'float32'));
  const direct = useDirectGemm(b, transposeA, transposeB) || transposeA || transposeB;
  if (simd === null || !plain || a.dtype !== 'float32' || bIn.dtype !== 'float32' || !direct) {
    return runStock(_FusedMatMul, args);
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = bIn.shape.slice(0, -2);
  const batchA = util.sizeFromShape(outerA);
  const batchB = util.sizeFromShape(outerB);
  const out = b.makeOutput([...broadcast_util.assertAndGetBroadcastShape(outerA, outerB), M, N], 'float32');
  const batch = Math.max(batchA, batchB);
  if (batch * M * N > 0) directProducts(b, simd, a, bIn, out, bias ?? null, transposeA, transposeB, batchA, batchB, batch, M, N, K);
  return out;
};

/** Kernel registration for the wasm backend (replaces the stock `_FusedMatMul`, falling back to it). */
export const fusedMatMulConfig: KernelConfig = { kernelName: _FusedMatMul, backendName: 'wasm', kernelFunc: fusedMatMul };
