import { BatchMatMul, broadcast_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { aliasId, heapBuffer, releaseAlias, tensorData, type WasmBackendInternals } from '../internals.js';
import { simdKernels } from '../simd/simd-kernels.js';
import { transposeLastTwo } from './transpose-impl.js';

/**
 * Largest output (M·N elements per slice) of an `Aᵀ B` product computed by our unpacked SIMD kernel instead of
 * XNNPACK. XNNPACK re-packs its right operand (K×N: the token dimension times a layer width) on every call, and
 * for weight gradients `xᵀ dy` of narrow layers that packing costs as much as the product itself.
 */
export const DIRECT_TN_MAX_OUTPUT = 512 * 512;

type CFn = (...args: unknown[]) => unknown;
const cfns = new WeakMap<object, CFn>();

function xnnBatchMatMul(b: WasmBackendInternals): CFn {
  let f = cfns.get(b.wasm);
  if (f === undefined) {
    // Same signature as tfjs-backend-wasm's own BatchMatMul kernel.
    f = b.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']);
    cfns.set(b.wasm, f);
  }
  return f;
}

function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

/**
 * One untransposed product per batch slice on XNNPACK (the only fast path of the stock kernel):
 * `out[i] = a[i] @ b[i]` with a [batch|1, M, K], b [batch|1, K, N], out [batch, M, N], all by heap offset.
 * Slices are passed to the C++ kernel as temporary tensor ids aliasing the slice memory.
 */
function untransposedProducts(
  b: WasmBackendInternals,
  a: { id: number; offset: number; batch: number },
  bb: { id: number; offset: number; batch: number },
  out: { id: number; offset: number },
  batch: number, M: number, K: number, N: number,
): void {
  const mm = xnnBatchMatMul(b);
  const aShape = shapeBytes([1, M, K]);
  const bShape = shapeBytes([1, K, N]);
  if (batch === 1) {
    mm(a.id, aShape, 3, bb.id, bShape, 3, false, false, out.id);
    return;
  }
  // A weight shared by all slices keeps its real id, so XNNPACK packs it once and caches the operator on it.
  for (let i = 0; i < batch; i++) {
    const ai = a.batch === 1 ? a.id : aliasId(b, a.offset + 4 * i * M * K, M * K);
    const bi = bb.batch === 1 ? bb.id : aliasId(b, bb.offset + 4 * i * K * N, K * N);
    const oi = aliasId(b, out.offset + 4 * i * M * N, M * N);
    try {
      mm(ai, aShape, 3, bi, bShape, 3, false, false, oi);
    } finally {
      if (ai !== a.id) releaseAlias(b, ai);
      if (bi !== bb.id) releaseAlias(b, bi);
      releaseAlias(b, oi);
    }
  }
}

/**
 * `BatchMatMul` for wasm that keeps every product on XNNPACK's untransposed kernel: transposed operands are
 * materialised first (choosing between `op(A) @ op(B)` and `(op(B)^T @ op(A)^T)^T` by the number of elements to
 * transpose), and batched products run slice by slice. The stock kernel falls back to a scalar loop for any
 * transpose flag or batch size above one (~20-60x slower), which is where tfjs's matmul gradients land.
 */
export const batchMatMul: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as WasmBackendInternals;
  const { a, b: bIn } = inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
  if (a.dtype !== 'float32' || bIn.dtype !== 'float32') {
    throw new Error(`BatchMatMul on wasm supports float32 only, got ${a.dtype} and ${bIn.dtype}`);
  }
  const ra = a.shape.length;
  const rb = bIn.shape.length;
  const M = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const K = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const Kb = transposeB ? bIn.shape[rb - 1]! : bIn.shape[rb - 2]!;
  const N = transposeB ? bIn.shape[rb - 2]! : bIn.shape[rb - 1]!;
  util.assert(K === Kb, () => `Error in matMul: inner shapes (${K}) and (${Kb}) of Tensors with shapes ${a.shape} and ${bIn.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
  const outerA = a.shape.slice(0, -2);
  const outerB = bIn.shape.slice(0, -2);
  const batchA = util.sizeFromShape(outerA);
  const batchB = util.sizeFromShape(outerB);
  util.assert(batchA === batchB || batchA === 1 || batchB === 1, () => `Error in matMul: batch dimensions ${outerA} and ${outerB} must match or be 1.`);
  const batch = Math.max(batchA, batchB);
  const outShape = [...broadcast_util.assertAndGetBroadcastShape(outerA, outerB), M, N];
  const out = b.makeOutput(outShape, 'float32');
  if (batch * M * N === 0) return out;
  if (K === 0) {
    new Float32Array(heapBuffer(b.wasm), tensorData(b, out).memoryOffset, batch * M * N).fill(0);
    return out;
  }

  const simd = simdKernels(b);
  if (transposeA && !transposeB && M * N <= DIRECT_TN_MAX_OUTPUT && simd !== null) {
    // out[i] = A[i]ᵀ B[i] straight from the row-major [K, M] and [K, N] operands: no transpose, no packing.
    const [ao, bo, oo] = [tensorData(b, a).memoryOffset, tensorData(b, bIn).memoryOffset, tensorData(b, out).memoryOffset];
    for (let i = 0; i < batch; i++) {
      simd.gemm_f32(ao + (batchA === 1 ? 0 : 4 * i * K * M), 1, M, bo + (batchB === 1 ? 0 : 4 * i * K * N), N,
        oo + 4 * i * M * N, N, M, N, K);
    }
    return out;
  }

  const temps: TensorInfo[] = [];
  const tmp = (t: TensorInfo): TensorInfo => (temps.push(t), t);
  try {
    const od = tensorData(b, out);
    const costDirect = (transposeA ? batchA * M * K : 0) + (transposeB ? batchB * K * N : 0);
    const costSwap = (transposeB ? 0 : batchB * K * N) + (transposeA ? 0 : batchA * M * K) + batch * M * N;
    if (costDirect <= costSwap) {
      // out = op(A) @ op(B)
      const aT = transposeA ? tmp(transposeLastTwo(b, a, batchA, K, M)) : a;
      const bT = transposeB ? tmp(transposeLastTwo(b, bIn, batchB, N, K)) : bIn;
      const aTd = tensorData(b, aT);
      const bTd = tensorData(b, bT);
      untransposedProducts(
        b,
        { id: aTd.id, offset: aTd.memoryOffset, batch: batchA },
        { id: bTd.id, offset: bTd.memoryOffset, batch: batchB },
        { id: od.id, offset: od.memoryOffset },
        batch, M, K, N,
      );
    } else {
      // out^T = op(B)^T @ op(A)^T: [N, K] @ [K, M] -> [N, M], then transpose to [M, N]
      const bS = transposeB ? bIn : tmp(transposeLastTwo(b, bIn, batchB, K, N)); // [K, N] -> [N, K]
      const aS = transposeA ? a : tmp(transposeLastTwo(b, a, batchA, M, K)); // [M, K] -> [K, M]
      const outT = tmp(b.makeOutput([batch, N, M], 'float32'));
      const bSd = tensorData(b, bS);
      const aSd = tensorData(b, aS);
      const otd = tensorData(b, outT);
      untransposedProducts(
        b,
        { id: bSd.id, offset: bSd.memoryOffset, batch: batchB },
        { id: aSd.id, offset: aSd.memoryOffset, batch: batchA },
        { id: otd.id, offset: otd.memoryOffset },
        batch, N, K, M,
      );
      transposeLastTwo(b, outT, batch, N, M, out); // [N, M] -> [M, N]
    }
  } finally {
    for (const t of temps) b.disposeData(t.dataId);
  }
  return out;
};

/** Kernel registration for the wasm backend (replaces the stock `BatchMatMul`). */
export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul,
};
