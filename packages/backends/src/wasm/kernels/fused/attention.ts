import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../../internals.js';
import { expectDtype, ptr, requireSimd, size, withScratch } from './common.js';
import { FUSED_KERNEL_NAMES } from './names.js';

const NAME = FUSED_KERNEL_NAMES.attention;
const GRAD = FUSED_KERNEL_NAMES.attentionGrad;

interface AttentionAttrs {
  numHeads: number;
  scale: number;
}

/** `[B, T, H]` and the head count → B, T, heads, head size (throws on a shape the kernel cannot take). */
function dims(kernel: string, q: TensorInfo, numHeads: number): [number, number, number, number] {
  const [B, T, H] = q.shape as [number, number, number];
  if (q.shape.length !== 3 || !(numHeads >= 1) || H % numHeads !== 0) {
    throw new Error(`${kernel}: expected q [B, T, H] with H divisible by numHeads=${numHeads}, got [${q.shape.join(', ')}]`);
  }
  return [B, T, numHeads, H / numHeads];
}

/**
 * Attention core per (batch, head) on the [B, T, H] layout: `softmax(scale · q kᵀ + mask) v` with register-tiled
 * SIMD products and no head transposes. `{q, k, v, mask [B, 1, 1, T]}`, `{numHeads, scale}` → `[context, probs]`.
 */
const attention: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as WasmBackendInternals;
  const { q, k, v, mask } = inputs as { q: TensorInfo; k: TensorInfo; v: TensorInfo; mask: TensorInfo };
  const { numHeads, scale } = attrs as unknown as AttentionAttrs;
  for (const [n, t] of Object.entries({ q, k, v, mask })) expectDtype(NAME, n, t, 'float32');
  const [B, T, NH, dh] = dims(NAME, q, numHeads);
  if (size(mask) !== B * T) throw new Error(`${NAME}: mask must hold B*T=${B * T} values ([B, 1, 1, T]), got [${mask.shape.join(', ')}]`);
  const simd = requireSimd(b, NAME);
  const context = b.makeOutput([...q.shape], 'float32');
  const probs = b.makeOutput([B, NH, T, T], 'float32');
  if (size(q) > 0) {
    withScratch(b, dh * T, (scratch) =>
      simd.attention_f32(ptr(b, q), ptr(b, k), ptr(b, v), ptr(b, mask), ptr(b, context), ptr(b, probs), scratch, B, T, NH, dh, scale));
  }
  return [context, probs];
};

/** Backward of the attention core: `{dy, q, k, v, probs}`, `{numHeads, scale}` → `[dq, dk, dv]`. */
const attentionGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as WasmBackendInternals;
  const { dy, q, k, v, probs } = inputs as { dy: TensorInfo; q: TensorInfo; k: TensorInfo; v: TensorInfo; probs: TensorInfo };
  const { numHeads, scale } = attrs as unknown as AttentionAttrs;
  for (const [n, t] of Object.entries({ dy, q, k, v, probs })) expectDtype(GRAD, n, t, 'float32');
  const [B, T, NH, dh] = dims(GRAD, q, numHeads);
  const simd = requireSimd(b, GRAD);
  const dq = b.makeOutput([...q.shape], 'float32');
  const dk = b.makeOutput([...q.shape], 'float32');
  const dv = b.makeOutput([...q.shape], 'float32');
  if (size(q) > 0) {
    withScratch(b, dh * T + 2 * T * T, (scratch) =>
      simd.attention_grad_f32(ptr(b, dy), ptr(b, q), ptr(b, k), ptr(b, v), ptr(b, probs), ptr(b, dq), ptr(b, dk), ptr(b, dv),
        scratch, B, T, NH, dh, scale));
  }
  return [dq, dk, dv];
};

export const attentionConfig: KernelConfig = { kernelName: NAME, backendName: 'wasm', kernelFunc: attention };
export const attentionGradConfig: KernelConfig = { kernelName: GRAD, backendName: 'wasm', kernelFunc: attentionGrad };
