import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../../internals.js';
import { splitRun } from '../../simd/pool.js';
import { expectDtype, MIN_PART_ELEMENTS, ptr, requireSimd, size } from './common.js';
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
  const [xo, oo] = [ptr(b, x), ptr(b, out)];
  splitRun(b, simd, 'gelu_new_f32', size(x), MIN_PART_ELEMENTS, 4, (s, e) => [xo + 4 * s, oo + 4 * s, e - s]);
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
  const [yo, xo, oo] = [ptr(b, dy), ptr(b, x), ptr(b, out)];
  splitRun(b, simd, 'gelu_new_grad_f32', size(x), MIN_PART_ELEMENTS, 4, (s, e) => [yo + 4 * s, xo + 4 * s, oo + 4 * s, e - s]);
  return out;
};

export const geluNewConfig: KernelConfig = { kernelName: NAME, backendName: 'wasm', kernelFunc: geluNew };
export const geluNewGradConfig: KernelConfig = { kernelName: GRAD, backendName: 'wasm', kernelFunc: geluNewGrad };
