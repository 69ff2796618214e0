import { Sum, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { tensorData, type WasmBackendInternals } from '../internals.js';
import { simdKernels } from '../simd/simd-kernels.js';
import { runStock } from './stock.js';

/**
 * `Sum` for wasm over leading axes (bias and LayerNorm gradients: [N, H] -> [H]) as a vectorised column sum; the
 * stock kernel transposes the input first with a scalar loop. Other reductions use the stock kernel.
 */
export const sum: KernelFunc = (args) => {
  const b = args.backend as unknown as WasmBackendInternals;
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const simd = simdKernels(b);
  const axes = util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (simd === null || x.dtype !== 'float32' || !leading) return runStock(Sum, args);
  const k = axes.length;
  const rows = util.sizeFromShape(x.shape.slice(0, k));
  const rest = x.shape.slice(k);
  const cols = util.sizeFromShape(rest);
  const out = b.makeOutput(keepDims ? [...x.shape.slice(0, k).map(() => 1), ...rest] : rest, 'float32');
  if (cols > 0) simd.sum_rows_f32(tensorData(b, x).memoryOffset, tensorData(b, out).memoryOffset, rows, cols);
  return out;
};

/** Kernel registration for the wasm backend (replaces the stock `Sum`, falling back to it). */
export const sumConfig: KernelConfig = { kernelName: Sum, backendName: 'wasm', kernelFunc: sum };
