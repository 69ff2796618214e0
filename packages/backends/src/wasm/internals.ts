import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

/** The parts of the Emscripten module of tfjs-backend-wasm that our kernels use. */
export interface WasmModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: unknown[]) => unknown;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAPU8: Uint8Array;
  wasmMemory?: WebAssembly.Memory;
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
    getThreadsCount(): number;
  };
}

/** Bookkeeping entry of one tensor in the wasm backend. */
export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: DataType;
  refCount: number;
}

/** The parts of tfjs-backend-wasm's `BackendWasm` that our kernels use (public at runtime, loosely typed). */
export interface WasmBackendInternals {
  wasm: WasmModule;
  dataIdMap: { get(dataId: object): WasmTensorData | undefined };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** The current wasm heap (the buffer object changes whenever the memory grows). */
export function heapBuffer(wasm: WasmModule): ArrayBufferLike {
  return wasm.wasmMemory !== undefined ? wasm.wasmMemory.buffer : wasm.HEAPU8.buffer;
}

/** Float32 view of a tensor's data on the wasm heap. */
export function f32View(backend: WasmBackendInternals, t: TensorInfo): Float32Array {
  const data = backend.dataIdMap.get(t.dataId);
  if (data === undefined) throw new Error(`wasm tensor ${String(t.dataId)} is not registered`);
  let size = 1;
  for (const d of t.shape) size *= d;
  return new Float32Array(heapBuffer(backend.wasm), data.memoryOffset, size);
}

/** Int32 view of a tensor's data on the wasm heap. */
export function i32View(backend: WasmBackendInternals, t: TensorInfo): Int32Array {
  const data = backend.dataIdMap.get(t.dataId);
  if (data === undefined) throw new Error(`wasm tensor ${String(t.dataId)} is not registered`);
  let size = 1;
  for (const d of t.shape) size *= d;
  return new Int32Array(heapBuffer(backend.wasm), data.memoryOffset, size);
}

/** Backend-internal id and heap offset of a tensor. */
export function tensorData(backend: WasmBackendInternals, t: TensorInfo): WasmTensorData {
  const data = backend.dataIdMap.get(t.dataId);
  if (data === undefined) throw new Error(`wasm tensor ${String(t.dataId)} is not registered`);
  return data;
}

/**
 * Registers a temporary tensor id that aliases `size` elements at `memoryOffset` (a slice of another tensor),
 * so that C++ kernels taking tensor ids can work on slices. Release it with `releaseAlias`; the memory itself is
 * never freed by that.
 */
export function aliasId(backend: WasmBackendInternals, memoryOffset: number, size: number): number {
  const id = backend.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(id, size, memoryOffset);
  return id;
}

/** Drops an alias created by `aliasId` (and any XNNPACK operator cached on it). */
export function releaseAlias(backend: WasmBackendInternals, id: number): void {
  backend.wasm.tfjs.disposeData(id);
}
