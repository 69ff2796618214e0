import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../../internals.js';
import { splitRun } from '../../simd/pool.js';
import { expectDtype, MIN_PART_ELEMENTS, ptr, requireSimd, size } from './common.js';
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
  const [lo, io, oo] = [ptr(b, logits), ptr(b, labels), ptr(b, out)];
  if (C > 0) splitRun(b, simd, 'softmax_xent_f32', N, Math.ceil(MIN_PART_ELEMENTS / C), 1, (s, e) => [lo + 4 * s * C, io + 4 * s, oo + 4 * s, e - s, C]);
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
  const [yo, lo, io, oo] = [ptr(b, dy), ptr(b, logits), ptr(b, labels), ptr(b, out)];
  if (C > 0) {
    splitRun(b, simd, 'softmax_xent_grad_f32', N, Math.ceil(MIN_PART_ELEMENTS / C), 1,
      (s, e) => [yo + 4 * s, lo + 4 * s * C, io + 4 * s, oo + 4 * s * C, e - s, C]);
  }
  return out;
};

export const softmaxCrossEntropyConfig: KernelConfig = { kernelName: NAME, backendName: 'wasm', kernelFunc: softmaxCrossEntropy };
export const softmaxCrossEntropyGradConfig: KernelConfig = { kernelName: GRAD, backendName: 'wasm', kernelFunc: softmaxCrossEntropyGrad };
