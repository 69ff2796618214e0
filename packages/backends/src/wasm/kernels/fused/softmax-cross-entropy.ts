import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../../internals.js';
import { expectDtype, ptr, requireSimd, size } from './common.js';
import { FUSED_KERNEL_NAMES } from './names.js';

const NAME = FUSED_KERNEL_NAMES.softmaxCrossEntropy;
const GRAD = FUSED_KERNEL_NAMES.softmaxCrossEntropyGrad;

function rowsCols(kernel: string, logits: TensorInfo, labels: TensorInfo): [number, number] {
  const [N, C] = logits.shape as [number, number];
  if (logits.shape.length !== 2 || size(labels) !== N) {
    throw new Error(`${kernel}: expected logits [N, C] and labels [N], got [${logits.shape.join(', ')}] and [${labels.shape.join(', ')}]`);
  }
  return [N, C];
}

/** Per-row softmax cross-entropy in two passes per row: `{logits [N, C], labels int32 [N]}` → `[N]`. */
const softmaxCrossEntropy: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WasmBackendInternals;
  const { logits, labels } = inputs as { logits: TensorInfo; labels: TensorInfo };
  expectDtype(NAME, 'logits', logits, 'float32');
  expectDtype(NAME, 'labels', labels, 'int32');
  const [N, C] = rowsCols(NAME, logits, labels);
  const simd = requireSimd(b, NAME);
  const out = b.makeOutput([N], 'float32');
  if (N > 0 && C > 0) simd.softmax_xent_f32(ptr(b, logits), ptr(b, labels), ptr(b, out), N, C);
  return out;
};

/** Backward: `{dy [N], logits, labels}` → `dy · (softmax(logits) − onehot(labels))`. */
const softmaxCrossEntropyGrad: KernelFunc = ({ inputs, backend }) => {
  const b = backend as unknown as WasmBackendInternals;
  const { dy, logits, labels } = inputs as { dy: TensorInfo; logits: TensorInfo; labels: TensorInfo };
  expectDtype(GRAD, 'dy', dy, 'float32');
  expectDtype(GRAD, 'logits', logits, 'float32');
  expectDtype(GRAD, 'labels', labels, 'int32');
  const [N, C] = rowsCols(GRAD, logits, labels);
  const simd = requireSimd(b, GRAD);
  const out = b.makeOutput([N, C], 'float32');
  if (N > 0 && C > 0) simd.softmax_xent_grad_f32(ptr(b, dy), ptr(b, logits), ptr(b, labels), ptr(b, out), N, C);
  return out;
};

export const softmaxCrossEntropyConfig: KernelConfig = { kernelName: NAME, backendName: 'wasm', kernelFunc: softmaxCrossEntropy };
export const softmaxCrossEntropyGradConfig: KernelConfig = { kernelName: GRAD, backendName: 'wasm', kernelFunc: softmaxCrossEntropyGrad };
