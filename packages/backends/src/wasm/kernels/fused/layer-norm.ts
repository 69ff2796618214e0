import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../../internals.js';
import { splitRun } from '../../simd/pool.js';
import { expectDtype, MIN_PART_ELEMENTS, ptr, requireSimd, size } from './common.js';
import { FUSED_KERNEL_NAMES } from './names.js';

const NAME = FUSED_KERNEL_NAMES.layerNorm;
const GRAD = FUSED_KERNEL_NAMES.layerNormGrad;

/** LayerNorm over the last axis in one pass per row: `{x, gamma, beta}`, `{epsilon}` → y. */
const layerNorm: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as WasmBackendInternals;
  const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
  const { epsilon } = attrs as unknown as { epsilon: number };
  for (const [k, t] of Object.entries({ x, gamma, beta })) expectDtype(NAME, k, t, 'float32');
  const simd = requireSimd(b, NAME);
  const n = x.shape[x.shape.length - 1] ?? 1;
  const out = b.makeOutput([...x.shape], 'float32');
  const [xo, go, bo, oo] = [ptr(b, x), ptr(b, gamma), ptr(b, beta), ptr(b, out)];
  if (size(x) > 0) {
    splitRun(b, simd, 'layer_norm_f32', size(x) / n, Math.ceil(MIN_PART_ELEMENTS / n), 1,
      (s, e) => [xo + 4 * s * n, go, bo, oo + 4 * s * n, e - s, n, epsilon]);
  }
  return out;
};

/** Backward of the fused LayerNorm (mean and variance recomputed): `{dy, x, gamma}` → `[dx, dgamma, dbeta]`. */
const layerNormGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as WasmBackendInternals;
  const { dy, x, gamma } = inputs as { dy: TensorInfo; x: TensorInfo; gamma: TensorInfo };
  const { epsilon } = attrs as unknown as { epsilon: number };
  for (const [k, t] of Object.entries({ dy, x, gamma })) expectDtype(GRAD, k, t, 'float32');
  const simd = requireSimd(b, GRAD);
  const n = x.shape[x.shape.length - 1] ?? 1;
  const dx = b.makeOutput([...x.shape], 'float32');
  const dgamma = b.makeOutput([...gamma.shape], 'float32');
  const dbeta = b.makeOutput([...gamma.shape], 'float32');
  simd.layer_norm_grad_f32(ptr(b, dy), ptr(b, x), ptr(b, gamma), ptr(b, dx), ptr(b, dgamma), ptr(b, dbeta), size(x) / n, n, epsilon);
  return [dx, dgamma, dbeta];
};

export const layerNormConfig: KernelConfig = { kernelName: NAME, backendName: 'wasm', kernelFunc: layerNorm };
export const layerNormGradConfig: KernelConfig = { kernelName: GRAD, backendName: 'wasm', kernelFunc: layerNormGrad };
