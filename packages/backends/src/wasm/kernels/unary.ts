import { Exp, Tanh, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { tensorData, type WasmBackendInternals } from '../internals.js';
import { simdKernels, type SimdKernels } from '../simd/simd-kernels.js';
import { runStock } from './stock.js';

function unary(name: string, fn: 'exp_f32' | 'tanh_f32'): KernelFunc {
  return (args) => {
    const b = args.backend as unknown as WasmBackendInternals;
    const { x } = args.inputs as { x: TensorInfo };
    const simd: SimdKernels | null = simdKernels(b);
    if (simd === null || x.dtype !== 'float32') return runStock(name, args);
    const out = b.makeOutput(x.shape, 'float32');
    const n = util.sizeFromShape(x.shape);
    if (n > 0) simd[fn](tensorData(b, x).memoryOffset, tensorData(b, out).memoryOffset, n);
    return out;
  };
}

/** `Exp` for wasm: vectorised (4 lanes, degree-6 polynomial, relative error ~2e-7) instead of a scalar loop. */
export const expConfig: KernelConfig = { kernelName: Exp, backendName: 'wasm', kernelFunc: unary(Exp, 'exp_f32') };
/** `Tanh` for wasm: vectorised through the SIMD exp (absolute error < 1e-6). */
export const tanhConfig: KernelConfig = { kernelName: Tanh, backendName: 'wasm', kernelFunc: unary(Tanh, 'tanh_f32') };
