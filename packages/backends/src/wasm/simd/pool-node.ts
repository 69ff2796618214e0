import { Worker } from 'node:worker_threads';
import type { WasmBackendInternals } from '../internals.js';
import { setSimdPool, type SimdKernelName, type SimdPool } from './pool.js';
import { backendMemory, simdKernels, simdModuleBytes } from './simd-kernels.js';

// Control block per helper: [state, kernel index, argument count]; arguments as float64 (pointers, sizes, floats).
const STATE = 0, FN = 1, ARGC = 2, SLOT = 4, MAX_ARGS = 32;
const IDLE = 0, TASK = 1, DONE = 2, STOP = 3, FAILED = 4;

/** The helper thread: instantiates the SIMD kernels on the shared memory and runs posted calls. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { memory, bytes, control, args, index, names } = workerData;
const kernels = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const fns = names.map((n) => kernels[n]);
const c = new Int32Array(control);
const a = new Float64Array(args, index * ${MAX_ARGS} * 8, ${MAX_ARGS});
const s = index * ${SLOT};
parentPort.postMessage('ready');
for (;;) {
  let st = Atomics.load(c, s + ${STATE});
  while (st !== ${TASK} && st !== ${STOP}) { Atomics.wait(c, s + ${STATE}, st); st = Atomics.load(c, s + ${STATE}); }
  if (st === ${STOP}) break;
  let done = ${DONE};
  try { fns[c[s + ${FN}]](...a.subarray(0, c[s + ${ARGC}])); } catch { done = ${FAILED}; }
  Atomics.store(c, s + ${STATE}, done);
  Atomics.notify(c, s + ${STATE});
}
`;

/**
 * The parent's Node options for a helper, without `--input-type`: a worker inherits `process.execArgv`, and under
 * `node --input-type=module -e '...'` that flag would make Node read the helper's source (a CommonJS string) as an ES
 * module, where `require` does not exist.
 */
export function helperExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    if (execArgv[i]!.startsWith('--input-type=')) continue;
    if (execArgv[i] === '--input-type') {
      i++; // and its value
      continue;
    }
    out.push(execArgv[i]!);
  }
  return out;
}

/**
 * Starts `helpers` threads running the SIMD kernels on the backend's shared memory and attaches them to the backend
 * (see {@link SimdPool}) until the backend is disposed. Resolves once every helper is ready; does nothing when the
 * memory is not shared (the single-threaded build) or the SIMD module is unavailable.
 */
export async function startSimdPool(b: WasmBackendInternals, helpers: number): Promise<void> {
  const memory = backendMemory(b);
  const simd = simdKernels(b);
  if (helpers < 1 || memory === null || simd === null || !(memory.buffer instanceof SharedArrayBuffer)) {
    setSimdPool(b, null);
    return;
  }
  const names = Object.keys(simd).sort() as SimdKernelName[];
  const control = new SharedArrayBuffer(helpers * SLOT * 4);
  const args = new SharedArrayBuffer(helpers * MAX_ARGS * 8);
  const c = new Int32Array(control);
  const a = new Float64Array(args);
  const bytes = simdModuleBytes(true);
  const workers = await Promise.all(Array.from({ length: helpers }, (_, index) => new Promise<Worker>((resolve, reject) => {
    const w = new Worker(WORKER_SOURCE, { eval: true, execArgv: helperExecArgv(), workerData: { memory, bytes, control, args, index, names } });
    // Referenced until it is ready (nothing else may hold the event loop while this awaits), then unref'd: a
    // helper only waits for work from this thread and must not keep a finished program running.
    w.once('message', () => {
      w.unref();
      resolve(w);
    });
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`SIMD helper thread exited (code ${code}) before it was ready`)));
  })));
  const fnIndex = new Map(names.map((n, i) => [n, i]));
  const pool: SimdPool = {
    size: helpers,
    run(name, calls) {
      const fn = fnIndex.get(name)!;
      const posted: number[] = [];
      for (let k = 1; k < calls.length; k++) {
        const w = (k - 1) % helpers;
        if (posted.includes(w)) {
          // more parts than helpers: run this one here
          (simd[name] as (...x: number[]) => unknown)(...calls[k]!);
          continue;
        }
        const s = w * SLOT;
        a.set(calls[k]!, w * MAX_ARGS);
        c[s + FN] = fn;
        c[s + ARGC] = calls[k]!.length;
        Atomics.store(c, s + STATE, TASK);
        Atomics.notify(c, s + STATE);
        posted.push(w);
      }
      try {
        (simd[name] as (...x: number[]) => unknown)(...calls[0]!);
      } finally {
        // even if this thread's part failed: the helpers are writing into memory the caller will free
        let failed = false;
        for (const w of posted) {
          const s = w * SLOT;
          let st = Atomics.load(c, s + STATE);
          while (st !== DONE && st !== FAILED) {
            Atomics.wait(c, s + STATE, st);
            st = Atomics.load(c, s + STATE);
          }
          failed ||= st === FAILED;
          Atomics.store(c, s + STATE, IDLE);
        }
        if (failed) throw new Error(`${name}: a SIMD helper thread failed`);
      }
    },
    close() {
      for (let w = 0; w < helpers; w++) {
        Atomics.store(c, w * SLOT + STATE, STOP);
        Atomics.notify(c, w * SLOT + STATE);
      }
      for (const w of workers) void w.terminate();
    },
  };
  setSimdPool(b, pool);
  // The helpers hold the backend's memory: stop them with the backend (tf.removeBackend disposes it).
  const owner = b as unknown as { dispose(): void };
  const dispose = owner.dispose.bind(owner);
  owner.dispose = () => {
    setSimdPool(b, null);
    dispose();
  };
}
