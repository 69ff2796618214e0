import type { TensorInfo } from '@tensorflow/tfjs-core';
import { heapBuffer, tensorData, type WasmBackendInternals } from '../internals.js';
import { simdKernels } from '../simd/simd-kernels.js';

type CFn = (...args: unknown[]) => unknown;
const cfns = new WeakMap<object, CFn>();
const F32 = 1; // CppDType.float32 in tfjs-backend-wasm

function wasmTranspose(b: WasmBackendInternals): CFn {
  let f = cfns.get(b.wasm);
  if (f === undefined) {
    f = b.wasm.cwrap('Transpose', null, ['number', 'array', 'number', 'number', 'number', 'array', 'number']);
    cfns.set(b.wasm, f);
  }
  return f;
}

function bytes(v: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(v).buffer);
}

/**
 * Swaps the last two axes of a float32 tensor viewed as [batch, rows, cols] -> [batch, cols, rows], writing into
 * `out` when given (it must hold batch*rows*cols floats) or into a new [batch, cols, rows] tensor.
 */
export function transposeLastTwo(
  b: WasmBackendInternals, x: TensorInfo, batch: number, rows: number, cols: number, out?: TensorInfo,
): TensorInfo {
  const dst = out ?? b.makeOutput(batch === 1 ? [cols, rows] : [batch, cols, rows], 'float32');
  const xId = tensorData(b, x).id;
  const oId = tensorData(b, dst).id;
  if (rows === 1 || cols === 1) {
    const xd = tensorData(b, x);
    const od = tensorData(b, dst);
    const n = batch * rows * cols;
    // One of the swapped axes has size 1: the memory layout does not change.
    const heap = heapBuffer(b.wasm);
    new Float32Array(heap, od.memoryOffset, n).set(new Float32Array(heap, xd.memoryOffset, n));
    return dst;
  }
  const simd = simdKernels(b);
  if (simd !== null) {
    simd.transpose_blocks(tensorData(b, x).memoryOffset, tensorData(b, dst).memoryOffset, batch, rows, cols, 1);
    return dst;
  }
  if (batch === 1) wasmTranspose(b)(xId, bytes([rows, cols]), 2, F32, oId, bytes([1, 0]), 2);
  else wasmTranspose(b)(xId, bytes([batch, rows, cols]), 3, F32, oId, bytes([0, 2, 1]), 3);
  return dst;
}
