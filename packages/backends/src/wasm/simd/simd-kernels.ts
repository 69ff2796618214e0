import type { WasmBackendInternals } from '../internals.js';
import { SIMD_WASM_PLAIN, SIMD_WASM_SHARED } from './simd-wasm.generated.js';

/** Exports of csrc/simd-kernels.c; pointers are byte offsets into the tfjs wasm heap. */
export interface SimdKernels {
  transpose_blocks(src: number, dst: number, batch: number, rows: number, cols: number, inner: number): void;
  exp_f32(x: number, y: number, n: number): void;
  tanh_f32(x: number, y: number, n: number): void;
  sum_rows_f32(x: number, y: number, rows: number, cols: number): void;
  layer_norm_f32(x: number, gamma: number, beta: number, y: number, rows: number, n: number, eps: number): void;
  layer_norm_grad_f32(dy: number, x: number, gamma: number, dx: number, dgamma: number, dbeta: number, rows: number, n: number, eps: number): void;
  gelu_new_f32(x: number, y: number, n: number): void;
  gelu_new_grad_f32(dy: number, x: number, dx: number, n: number): void;
  attention_f32(q: number, k: number, v: number, mask: number, out: number, probs: number, scratch: number,
    B: number, T: number, NH: number, dh: number, scale: number): void;
  attention_grad_f32(dy: number, q: number, k: number, v: number, probs: number, dq: number, dk: number, dv: number,
    scratch: number, B: number, T: number, NH: number, dh: number, scale: number): void;
  softmax_xent_f32(logits: number, labels: number, loss: number, rows: number, n: number): void;
  softmax_xent_grad_f32(dy: number, logits: number, labels: number, dlogits: number, rows: number, n: number): void;
  sum_squares_f32(x: number, n: number): number;
  gemm_f32(a: number, sai: number, sak: number, b: number, sbk: number, sbj: number, c: number, ldc: number, M: number,
    N: number, K: number, bias: number, hasBias: number, scratch: number): void;
  adam_update_f32(w: number, m: number, v: number, g: number, wOut: number, mOut: number, vOut: number, n: number,
    beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, eps: number, wd: number, lr: number,
    layerAdapt: number): void;
}

const instances = new WeakMap<object, SimdKernels | null>();

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The compiled SIMD kernels for a shared (threaded build) or plain memory. */
export function simdModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return decodeBase64(shared ? SIMD_WASM_SHARED : SIMD_WASM_PLAIN);
}

/** The tfjs backend's WebAssembly.Memory (exported by the threaded glue, found among the exports otherwise). */
export function backendMemory(b: WasmBackendInternals): WebAssembly.Memory | null {
  if (b.wasm.wasmMemory instanceof WebAssembly.Memory) return b.wasm.wasmMemory;
  const asm = (b.wasm as unknown as { asm?: Record<string, unknown> }).asm;
  if (asm !== undefined) {
    for (const v of Object.values(asm)) if (v instanceof WebAssembly.Memory) return v;
  }
  return null;
}

/**
 * Instantiates the SIMD kernels on the backend's own memory (once per backend module), or returns null when the
 * memory cannot be found or the engine rejects the module (then callers use the stock kernels).
 */
export function simdKernels(b: WasmBackendInternals): SimdKernels | null {
  const cached = instances.get(b.wasm);
  if (cached !== undefined) return cached;
  let result: SimdKernels | null = null;
  const memory = backendMemory(b);
  if (memory !== null) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    try {
      const module = new WebAssembly.Module(simdModuleBytes(shared));
      const instance = new WebAssembly.Instance(module, { env: { memory } });
      result = instance.exports as unknown as SimdKernels;
    } catch {
      result = null;
    }
  }
  instances.set(b.wasm, result);
  return result;
}
