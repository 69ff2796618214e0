import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BackendError, shutdownBackends, useBackend, type BackendName } from '../src/index.js';
import { helperExecArgv } from '../src/wasm/simd/pool-node.js';
import { errorOf } from './helpers.js';

describe('useBackend', () => {
  it('names the package to install when @tensorflow/tfjs-node-gpu is missing, in one line', async () => {
    const e = await errorOf(useBackend('node-gpu'));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.message).toContain('@tensorflow/tfjs-node-gpu');
    expect(e.message).toMatch(/npm install @tensorflow\/tfjs-node-gpu@/);
    expect(e.message).not.toContain('\n');
  });

  it('names @tensorflow/tfjs-node for the node backend', async () => {
    const e = await errorOf(useBackend('node'));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.message).toContain('@tensorflow/tfjs-node,');
    expect(e.message).not.toContain('\n');
  });

  it('rejects unknown names and bad thread counts with a BackendError', async () => {
    const e1 = await errorOf(useBackend('tpu' as BackendName));
    expect(e1).toBeInstanceOf(BackendError);
    expect(e1.message).toBe('unknown backend "tpu"; expected one of cpu, wasm, node-gpu, node');
    const e2 = await errorOf(useBackend('wasm', { threads: 0 }));
    expect(e2).toBeInstanceOf(BackendError);
    expect(e2.message).toContain('threads must be an integer from 1 to 8, got 0');
    const e3 = await errorOf(useBackend('wasm', { threads: 2.5 }));
    expect(e3).toBeInstanceOf(BackendError);
  });

  it('refuses the browser-only backends in Node with a one-line BackendError', async () => {
    for (const name of ['webgpu', 'webgl'] as const) {
      const e = await errorOf(useBackend(name));
      expect(e).toBeInstanceOf(BackendError);
      expect(e.message).toBe(`backend "${name}" only runs in browsers; in Node.js use one of cpu, wasm, node-gpu, node`);
    }
  });

  it('selects cpu', async () => {
    const info = await useBackend('cpu');
    expect(info).toEqual({ name: 'cpu', tfBackend: 'cpu', threads: 1 });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('runs wasm multi-threaded in Node with the requested thread count', async () => {
    const info = await useBackend('wasm', { threads: 2 });
    expect(info.tfBackend).toBe('wasm');
    expect(info.threads).toBe(2);
    expect(tf.getBackend()).toBe('wasm');
    // A product large enough for XNNPACK to split across threads; checked against a plain JS loop.
    const m = 64, k = 48, n = 80;
    const av = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const bv = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
    const got = tf.tidy(() => tf.matMul(tf.tensor2d(av, [m, k]), tf.tensor2d(bv, [k, n])).dataSync());
    let maxErr = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += av[i * k + p]! * bv[p * n + j]!;
        maxErr = Math.max(maxErr, Math.abs(s - got[i * n + j]!));
      }
    }
    expect(maxErr).toBeLessThan(1e-4);
  });

  it('multi-threaded wasm does not keep a finished Node program running (built dist, child process)', () => {
    const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
    const tfCore = createRequire(dist).resolve('@tensorflow/tfjs-core');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-exit-'));
    const script = path.join(dir, 'program.mjs');
    fs.writeFileSync(script, `import * as tf from ${JSON.stringify(pathToFileURL(tfCore).href)};
import { useBackend } from ${JSON.stringify(pathToFileURL(dist).href)};
const info = await useBackend('wasm', { threads: 2 });
console.log(info.threads, tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).dataSync()[0]);
`);
    try {
      const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
      expect(r.signal, 'the process had to be killed: it did not exit').toBeNull();
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('2 64');
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shutdownBackends disposes wasm (threads and all); useBackend starts a fresh one afterwards', async () => {
    await useBackend('wasm', { threads: 2 });
    shutdownBackends();
    expect(tf.findBackend('wasm')).toBeNull();
    shutdownBackends(); // idempotent
    const info = await useBackend('wasm', { threads: 2 });
    expect(info.threads).toBe(2);
    expect(tf.tidy(() => Array.from(tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync()))).toEqual([4, 6]);
  });

  it('a program that calls shutdownBackends() and sets process.exitCode ends with that code (child process)', () => {
    const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
    const tfCore = createRequire(dist).resolve('@tensorflow/tfjs-core');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-shutdown-'));
    const script = path.join(dir, 'program.mjs');
    fs.writeFileSync(script, `import * as tf from ${JSON.stringify(pathToFileURL(tfCore).href)};
import { shutdownBackends, useBackend } from ${JSON.stringify(pathToFileURL(dist).href)};
await useBackend('wasm', { threads: 2 });
process.stdout.write(String(tf.sum(tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]))).dataSync()[0]));
shutdownBackends();
process.exitCode = 3;
`);
    try {
      const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
      expect(r.signal, 'the process had to be killed: it did not exit').toBeNull();
      expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({ stdout: String(64 ** 3), stderr: '', status: 3 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts its SIMD helper threads under node --input-type=module -e (built dist, child process)', () => {
    // the helpers inherit the parent's options, all but --input-type (which would make their CommonJS source a module)
    expect(helperExecArgv(['--input-type=module', '-e', 'code', '--max-old-space-size=512'])).toEqual(['-e', 'code', '--max-old-space-size=512']);
    expect(helperExecArgv(['--input-type', 'module', '--no-warnings'])).toEqual(['--no-warnings']);
    const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
    const tfCore = createRequire(dist).resolve('@tensorflow/tfjs-core');
    const program = `import * as tf from ${JSON.stringify(pathToFileURL(tfCore).href)};
import { shutdownBackends, useBackend } from ${JSON.stringify(pathToFileURL(dist).href)};
const info = await useBackend('wasm', { threads: 2 });
console.log(info.threads, tf.sum(tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]))).dataSync()[0]);
shutdownBackends();`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', timeout: 60_000 });
    expect(r.signal, 'the process had to be killed: it did not exit').toBeNull();
    expect({ stdout: r.stdout.trim(), stderr: r.stderr, status: r.status }).toEqual({ stdout: `2 ${64 ** 3}`, stderr: '', status: 0 });
  });

  it('switches to single-threaded wasm', async () => {
    const info = await useBackend('wasm', { threads: 1 });
    expect(info.threads).toBe(1);
    expect(tf.tidy(() => Array.from(tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync()))).toEqual([4, 6]);
  });

  it('fails with a BackendError instead of hanging when a tensor would exceed the heap limit', async () => {
    await useBackend('wasm', { threads: 1, heapLimitBytes: 256 * 1024 ** 2 });
    const before = tf.memory().numTensors;
    const e = (() => {
      try {
        tf.tidy(() => tf.zeros([80, 1024, 1024])); // 320 MiB
      } catch (err) {
        return err as Error;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(BackendError);
    expect(e!.message).toMatch(/^wasm heap exhausted: cannot allocate 320\.0 MiB/);
    expect(tf.memory().numTensors).toBe(before);
    // Still usable afterwards.
    expect(tf.tidy(() => tf.sum(tf.ones([1000])).dataSync()[0])).toBe(1000);
    await useBackend('wasm', { threads: 1 });
  });
});

describe('SIMD helper threads', () => {
  it('start with a threaded backend and stop when it is removed', async () => {
    const { simdPool } = await import('../src/wasm/simd/pool.js');
    await useBackend('wasm', { threads: 2 });
    const backend = tf.backend() as unknown as Parameters<typeof simdPool>[0];
    expect(simdPool(backend)?.size).toBe(1);
    tf.removeBackend('wasm');
    expect(simdPool(backend)).toBeNull();
    await useBackend('wasm', { threads: 1 });
    expect(simdPool(tf.backend() as unknown as Parameters<typeof simdPool>[0])).toBeNull();
  });
});
