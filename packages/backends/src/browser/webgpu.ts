import { activate } from '../activate.js';
import { BackendError } from '../errors.js';
import type { BackendInfo } from '../names.js';
import { registerWebGpuKernels } from './webgpu-add-n.js';

/** The parts of the WebGPU API used here (not in TypeScript's DOM library). */
interface GpuAdapterLike {
  readonly info?: { vendor?: string; architecture?: string; device?: string; description?: string };
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<GpuAdapterLike | null>;
}

function describeAdapter(adapter: GpuAdapterLike): string {
  const info = adapter.info ?? {};
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s): s is string => !!s);
  return [...new Set(parts)].join(' ') || 'unknown adapter';
}

/**
 * Activates `@tensorflow/tfjs-backend-webgpu` after checking that the browser exposes WebGPU and finds an adapter
 * (each absence is its own one-line {@link BackendError}, so callers can fall back to webgl or wasm).
 */
export async function useWebGpu(): Promise<BackendInfo> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (gpu === undefined) {
    throw new BackendError('backend "webgpu" is unavailable: this browser exposes no navigator.gpu (WebGPU disabled or unsupported)');
  }
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    throw new BackendError(`backend "webgpu" is unavailable: requestAdapter() failed: ${(e as Error).message?.split('\n')[0]}`);
  }
  if (adapter === null) throw new BackendError('backend "webgpu" is unavailable: navigator.gpu.requestAdapter() found no adapter');
  await import('@tensorflow/tfjs-backend-webgpu');
  registerWebGpuKernels();
  await activate('webgpu', 'webgpu');
  return { name: 'webgpu', tfBackend: 'webgpu', threads: 0, adapter: describeAdapter(adapter) };
}
