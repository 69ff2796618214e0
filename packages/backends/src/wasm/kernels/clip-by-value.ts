import { ClipByValue, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { heapBuffer, tensorData, type WasmBackendInternals } from '../internals.js';
import { runStock } from './stock.js';

/** A view of a tensor's elements on the wasm heap in its storage type. */
function view(backend: WasmBackendInternals, t: TensorInfo): Float32Array | Int32Array | Uint8Array {
  const { memoryOffset } = tensorData(backend, t);
  const size = util.sizeFromShape(t.shape);
  const buffer = heapBuffer(backend.wasm);
  if (t.dtype === 'int32') return new Int32Array(buffer, memoryOffset, size);
  if (t.dtype === 'bool') return new Uint8Array(buffer, memoryOffset, size);
  return new Float32Array(buffer, memoryOffset, size);
}

/**
 * `ClipByValue` for wasm with the cpu backend's semantics for every dtype. The stock kernel runs XNNPACK's f32
 * clamp on the raw bytes whatever the dtype, so int32 tensors came out as the bit patterns of floats (values such
 * as 5 are tiny denormals, "inside" any range, and were left unchanged), and a float NaN became `clipValueMin`
 * instead of staying NaN. Clipping is rare and memory-bound, so a plain loop costs nothing that matters.
 */
export const clipByValue: KernelFunc = (args) => {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: TensorInfo };
  if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') return runStock(ClipByValue, args);
  const b = backend as unknown as WasmBackendInternals;
  const { clipValueMin: min, clipValueMax: max } = attrs as unknown as { clipValueMin: number; clipValueMax: number };
  const out = b.makeOutput([...x.shape], x.dtype);
  const src = view(b, x);
  const dst = view(b, out); // after makeOutput: the allocation may have grown (and replaced) the heap buffer
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    // Same expression as tfjs-backend-cpu: NaN stays NaN; storing into an Int32Array truncates like cpu's.
    dst[i] = v > max ? max : v < min ? min : v;
  }
  return out;
};

/** Kernel registration for the wasm backend (replaces the stock kernel, which is wrong for int32 and NaN). */
export const clipByValueConfig: KernelConfig = { kernelName: ClipByValue, backendName: 'wasm', kernelFunc: clipByValue };
