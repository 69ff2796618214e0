import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../../internals.js';
import { expectDtype, ptr, requireSimd, size } from './common.js';
import { FUSED_KERNEL_NAMES } from './names.js';

const NAME = FUSED_KERNEL_NAMES.geluNew;
const GRAD = FUSED_KERNEL_NAMES.geluNewGrad;

/** `gelu_new` in one vectorised pass: `{x}` → y. */
const geluNew: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WasmBackendInternals;
  const { x } = inputs as { x: TensorInfo };
  expectDtype(NAME, 'x', x, 'float32');
  const simd = requireSimd(b, NAME);
  const out = b.makeOutput([...x.shape], 'float32');
  if (size(x) > 0) simd.gelu_new_f32(ptr(b, x), ptr(b, out), size(x));
  return out;
};

/** Backward of `gelu_new` in one pass: `{dy, x}` → dx. */
const geluNewGrad: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WasmBackendInternals;
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  expectDtype(GRAD, 'dy', dy, 'float32');
  expectDtype(GRAD, 'x', x, 'float32');
  const simd = requireSimd(b, GRAD);
  const out = b.makeOutput([...x.shape], 'float32');
  if (size(x) > 0) simd.gelu_new_grad_f32(ptr(b, dy), ptr(b, x), ptr(b, out), size(x));
  return out;
};

export const geluNewConfig: KernelConfig = { kernelName: NAME, backendName: 'wasm', kernelFunc: geluNew };
export const geluNewGradConfig: KernelConfig = { kernelName: GRAD, backendName: 'wasm', kernelFunc: geluNewGrad };
