import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../../internals.js';
import { expectDtype, ptr, requireSimd, size } from './common.js';
import { FUSED_KERNEL_NAMES } from './names.js';

const NAME = FUSED_KERNEL_NAMES.adamUpdate;

interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  learningRate: number;
  layerAdaptation: boolean;
}

/**
 * One AdamW / LAMB step for one tensor in two passes (moments, update and the two norms of LAMB's trust ratio in
 * the first, the weight update in the second): `{param, m, v, grad}` → `[param', m', v']`.
 */
const adamUpdate: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as WasmBackendInternals;
  const { param, m, v, grad } = inputs as { param: TensorInfo; m: TensorInfo; v: TensorInfo; grad: TensorInfo };
  const a = attrs as unknown as AdamUpdateAttrs;
  for (const [k, t] of Object.entries({ param, m, v, grad })) {
    expectDtype(NAME, k, t, 'float32');
    if (size(t) !== size(param)) throw new Error(`${NAME}: ${k} has ${size(t)} elements, param ${size(param)}`);
  }
  const simd = requireSimd(b, NAME);
  const outs = [param, m, v].map((t) => b.makeOutput([...t.shape], 'float32'));
  const [pOut, mOut, vOut] = outs as [TensorInfo, TensorInfo, TensorInfo];
  if (size(param) > 0) {
    simd.adam_update_f32(ptr(b, param), ptr(b, m), ptr(b, v), ptr(b, grad), ptr(b, pOut), ptr(b, mOut), ptr(b, vOut),
      size(param), a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.epsilon, a.weightDecay, a.learningRate, a.layerAdaptation ? 1 : 0);
  }
  return outs;
};

export const adamUpdateConfig: KernelConfig = { kernelName: NAME, backendName: 'wasm', kernelFunc: adamUpdate };
