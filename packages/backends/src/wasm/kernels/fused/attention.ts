import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../../internals.js';
import { splitRun } from '../../simd/pool.js';
import { expectDtype, parts, ptr, requireSimd, size, withScratch } from './common.js';
import { FUSED_KERNEL_NAMES } from './names.js';

const NAME = FUSED_KERNEL_NAMES.attention;
const GRAD = FUSED_KERNEL_NAMES.attentionGrad;

type Tensors6 = [number, number, number, number, number, number];

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
    const per = dh * T;
    const [qo, ko, vo, mo, co, po] = [q, k, v, mask, context, probs].map((t) => ptr(b, t)) as Tensors6;
    withScratch(b, parts(b) * per, (scratch) =>
      splitRun(b, simd, 'attention_f32', B, 1, 1, (s, e, p) => {
        const x = 4 * s * T * NH * dh; // [B, T, H] offset of batch s, in bytes
        return [qo + x, ko + x, vo + x, mo + 4 * s * T, co + x, po + 4 * s * NH * T * T, scratch + 4 * p * per, e - s, T, NH, dh, scale];
      }));
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
    const per = dh * T + 2 * T * T;
    const [yo, qo, ko, vo, po] = [dy, q, k, v, probs].map((t) => ptr(b, t)) as [number, number, number, number, number];
    const [dqo, dko, dvo] = [dq, dk, dv].map((t) => ptr(b, t)) as [number, number, number];
    withScratch(b, parts(b) * per, (scratch) =>
      splitRun(b, simd, 'attention_grad_f32', B, 1, 1, (s, e, p) => {
        const x = 4 * s * T * NH * dh;
        return [yo + x, qo + x, ko + x, vo + x, po + 4 * s * NH * T * T, dqo + x, dko + x, dvo + x, scratch + 4 * p * per, e - s, T, NH, dh, scale];
      }));
  }
  return [dq, dk, dv];
};

export const attentionConfig: KernelConfig = { kernelName: NAME, backendName: 'wasm', kernelFunc: attention };
export const attentionGradConfig: KernelConfig = { kernelName: GRAD, backendName: 'wasm', kernelFunc: attentionGrad };
