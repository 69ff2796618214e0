import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { wasmBinaryPaths, wasmPackageDir } from './paths.js';
import type { WasmModule } from './internals.js';

const require = createRequire(import.meta.url);


type Factory = (config: Record<string, unknown>) => Promise<WasmModule & Record<string, unknown>>;

/**
 * Writes the Emscripten pthread worker script (shipped by tfjs-backend-wasm only as a string for Blob URLs) to a
 * file in the OS temp directory, named by a hash of its contents, and returns its path. The file is written beside
 * and renamed into place (concurrent processes never see half a file) and rewritten whenever its contents are not
 * the expected ones (a crash may have left it incomplete), so no fsync is needed for this cache.
 */
function workerScriptPath(contents: string): string {
  // The string keeps literal "\n" escapes as real newlines inside JS string literals; escape them back.
  const source = contents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `albert-ts-tfjs-wasm-worker-${hash}.cjs`);
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== source) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, source);
    fs.renameSync(tmp, file);
  }
  return file;
}

/**
 * Creates a tfjs wasm backend from the threaded-SIMD build in Node, with `threads` XNNPACK threads.
 *
 * The stock loader only uses threads in browsers (it loads the pthread worker from a Blob URL) and caps the pool
 * at half of the logical cores. Here the worker is loaded from a file path, and the core count the module reads
 * at start-up (`os.cpus().length`, halved by the C++ side) is presented as `2 * threads` while it starts.
 */
export async function createThreadedNodeBackend(threads: number): Promise<BackendWasm> {
  const dir = wasmPackageDir();
  const factory = require(path.join(dir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js')) as Factory;
  const { wasmWorkerContents } = require(path.join(dir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  const workerPath = workerScriptPath(wasmWorkerContents);
  const wasmPath = wasmBinaryPaths()['tfjs-backend-wasm-threaded-simd.wasm'];
  const nodeOs = require('os') as typeof os;
  const realCpus = nodeOs.cpus;
  nodeOs.cpus = () => {
    const cpus = realCpus();
    return Array.from({ length: 2 * threads }, (_, i) => cpus[i % Math.max(1, cpus.length)]!);
  };
  let mod: WasmModule & Record<string, unknown>;
  try {
    mod = await factory({
      // Keep stdout clean for machine-readable output (e.g. `pnpm --silent bench --json`).
      print: (text: string) => process.stderr.write(`${text}\n`),
      printErr: (text: string) => process.stderr.write(`${text}\n`),
      locateFile: (file: string, prefix: string) =>
        file.endsWith('.worker.js') ? workerPath : file.endsWith('.wasm') ? wasmPath : prefix + file,
    });
  } finally {
    nodeOs.cpus = realCpus;
  }
  // Same bridge as tfjs-backend-wasm's own init().
  (mod as unknown as { tfjs: Record<string, unknown> }).tfjs = {
    init: mod.cwrap('init', null, []),
    initWithThreadsCount: mod.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: mod.cwrap('get_threads_count', 'number', []),
    registerTensor: mod.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: mod.cwrap('dispose_data', null, ['number']),
    dispose: mod.cwrap('dispose', null, []),
  };
  setThreadsCount(threads);
  const backend = new BackendWasm(mod as unknown as ConstructorParameters<typeof BackendWasm>[0]);
  // The backend has just started its XNNPACK pool: pthread workers that Emscripten keeps referenced while they run,
  // which would keep Node alive after the program's own work is done. They only wait for work handed to them by
  // this thread, synchronously, so they need not hold the process open.
  const pthread = (mod as { PThread?: { runningWorkers?: { unref?: () => void }[] } }).PThread;
  for (const worker of pthread?.runningWorkers ?? []) worker.unref?.();
  return backend;
}
