// AddN for webgpu. tfjs-backend-webgpu 4.22 sums all inputs in one shader with a storage buffer per input, so a
// sum of more inputs than the device's `maxStorageBuffersPerShaderStage` allows (8 by default, output included)
// compiles to an invalid pipeline and returns garbage without throwing. The global gradient norm of a training
// step sums one square per parameter (ALBERT has dozens). This kernel sums chunks that fit with the stock kernel,
// then sums the partial sums the same way.
import {
  AddN, getKernel, type KernelConfig, type KernelFunc, type NamedTensorInfoMap, registerKernel, type TensorInfo, unregisterKernel,
} from '@tensorflow/tfjs-core';

/** WebGPU's default `maxStorageBuffersPerShaderStage` (tfjs-webgpu does not request more). */
const DEFAULT_STORAGE_BUFFERS = 8;

interface WebGpuBackendLike {
  device?: { limits?: { maxStorageBuffersPerShaderStage?: number } };
  disposeData(dataId: object): void;
}

let stock: KernelConfig | undefined;

/** Inputs one stock AddN call may take on `backend`: the storage buffers of a shader stage, less the output. */
export function maxAddNInputs(backend: WebGpuBackendLike): number {
  return Math.max(2, (backend.device?.limits?.maxStorageBuffersPerShaderStage ?? DEFAULT_STORAGE_BUFFERS) - 1);
}

const addN: KernelFunc = (args) => {
  // AddN's inputs are an array (typed as a map by KernelFunc).
  const run = (inputs: TensorInfo[]) => stock!.kernelFunc({ ...args, inputs: inputs as unknown as NamedTensorInfoMap }) as TensorInfo;
  const backend = args.backend as unknown as WebGpuBackendLike;
  const limit = maxAddNInputs(backend);
  let parts = args.inputs as unknown as TensorInfo[];
  const partial = new Set<TensorInfo>();
  while (parts.length > limit) {
    const next: TensorInfo[] = [];
    for (let i = 0; i < parts.length; i += limit) {
      const chunk = parts.slice(i, i + limit);
      if (chunk.length === 1) {
        next.push(chunk[0]!);
      } else {
        const sum = run(chunk);
        partial.add(sum);
        next.push(sum);
      }
    }
    parts = next;
  }
  const out = run(parts);
  for (const t of partial) backend.disposeData(t.dataId);
  return out;
};

/** Replaces webgpu's AddN with the chunked one (idempotent; call after tfjs-backend-webgpu is imported). */
export function registerWebGpuKernels(): void {
  const current = getKernel(AddN, 'webgpu');
  if (current === undefined || current.kernelFunc === addN) return;
  stock = current;
  unregisterKernel(AddN, 'webgpu');
  registerKernel({ ...current, kernelFunc: addN });
}
