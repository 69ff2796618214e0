import { BatchMatMul, broadcast_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { aliasId, heapBuffer, releaseAlias, tensorData, type WasmBackendInternals } from '../internals.js';
import { simdPool, splitRun } from '../simd/pool.js';
import { simdKernels, type SimdKernels } from '../simd/simd-kernels.js';
import { transposeLastTwo } from './transpose-impl.js';

/**
 * True when a product runs in our SIMD GEMM (`gemm_f32`) rather than on XNNPACK. `gemm_f32` packs both operands
 * per cache block straight from the row-major data, any transposes included; XNNPACK needs transposed operands
 * materialised, re-packs its right operand whenever that is a new tensor (every gradient product) and streams its
 * packed panels from memory at the large shapes (`apps/bench/scripts/matmul-paths.ts` times both per product
 * shape). Without SIMD helper threads (browsers), XNNPACK keeps the products it splits over its own thread pool
 * (untransposed and `A Bᵀ`) when the backend has more than one thread.
 */
export function useDirectGemm(b: WasmBackendInternals, transposeA: boolean, transposeB: boolean): boolean {
  return (transposeA && !transposeB) || b.wasm.tfjs.getThreadsCount() <= 1 || simdPool(b) !== null;
}

/**
 * `out[i] = op(A[i]) op(B[i]) (+ bias)` per batch slice in `gemm_f32`, operands read in place (any transposes);
 * `bias` (length N) is added to every row.
 */
export function directProducts(
  b: WasmBackendInternals, simd: SimdKernels, a: TensorInfo, bIn: TensorInfo, out: TensorInfo, bias: TensorInfo | null,
  transposeA: boolean, transposeB: boolean, batchA: number, batchB: number, batch: number, M: number, N: number, K: number,
): void {
  const [ao, bo, oo] = [tensorData(b, a).memoryOffset, tensorData(b, bIn).memoryOffset, tensorData(b, out).memoryOffset];
  const biasOffset = bias === null ? 0 : tensorData(b, bias).memoryOffset;
  // op(A)[i][k] = A[i * sai + k * sak]: A is [M, K] row-major, or [K, M] when transposed; likewise B.
  const [sai, sak] = transposeA ? [1, M] : [K, 1];
  const [sbk, sbj] = transposeB ? [1, K] : [N, 1];
  const hasBias = bias === null ? 0 : 1;
  // With helper threads the output is split by rows (or by columns when it is wider than tall); each part packs
  // its own blocks into its own scratch.
  const parts = 1 + (simdPool(b)?.size ?? 0);
  const byRows = M >= N;
  const perPart = ((byRows ? Math.ceil(M / parts) : M) + GEMM_MAX_MR) * GEMM_BLOCK_K + GEMM_BLOCK_K * GEMM_BLOCK_N;
  const scratch = b.makeOutput([parts * perPart], 'float32');
  try {
    const so = tensorData(b, scratch).memoryOffset;
    const minPart = Math.ceil(GEMM_MIN_PART_MACS / Math.max(1, (byRows ? N : M) * K));
    for (let i = 0; i < batch; i++) {
      const [ai, bi, oi] = [ao + (batchA === 1 ? 0 : 4 * i * M * K), bo + (batchB === 1 ? 0 : 4 * i * K * N), oo + 4 * i * M * N];
      splitRun(b, simd, 'gemm_f32', byRows ? M : N, minPart, byRows ? 4 : 8, (s, e, p) => byRows
        ? [ai + 4 * s * sai, sai, sak, bi, sbk, sbj, oi + 4 * s * N, N, e - s, N, K, biasOffset, hasBias, so + 4 * p * perPart]
        : [ai, sai, sak, bi + 4 * s * sbj, sbk, sbj, oi + 4 * s, N, M, e - s, K, biasOffset + 4 * s * hasBias, hasBias, so + 4 * p * perPart]);
    }
  } finally {
    b.disposeData(scratch.dataId);
  }
}

/** `gemm_f32`'s blocks (GEMM_KB, GEMM_NB, at least GEMM_MR in csrc/simd-kernels.c): its scratch size depends on them. */
const GEMM_BLOCK_K = 128;
const GEMM_BLOCK_N = 256;
const GEMM_MAX_MR = 8;
/** Least multiply-adds per part worth handing to a helper thread. */
const GEMM_MIN_PART_MACS = 1 << 21;

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
  if (simd !== null && useDirectGemm(b, transposeA, transposeB)) {
    directProducts(b, simd, a, bIn, out, null, transposeA, transposeB, batchA, batchB, batch, M, N, K);
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
