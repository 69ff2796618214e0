// Soak test (a measurement, not a test): pretrains a tiny model for STEPS steps (default 1,000) on wasm with one
// thread, with evaluations and checkpoints along the way, and samples tfjs's live tensor count and the process's
// resident memory every EVERY steps (default 50), after a full garbage collection when Node runs with --expose-gc
// (`pnpm soak` does), so that the numbers are what the run keeps, not garbage not yet collected. Prints the table and
// the least-squares slope of each column per 1,000 steps (from the second sample on: the first one still includes
// warm-up allocations). A leak shows as a positive slope of tensors or of the JS heap.
//   corepack pnpm soak        (env: STEPS, EVERY, BACKEND=wasm|cpu, THREADS=1)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, shutdownBackends, useBackend, wasmHeapBytes } from '@albert-ts/backends';
import { presetConfig } from '@albert-ts/core';
import { loadBundledCorpus } from '@albert-ts/data';
import { fixturePath } from '@albert-ts/testing';
import { pretrain } from '../src/index.js';

const STEPS = Number(process.env.STEPS ?? 1000);
const EVERY = Number(process.env.EVERY ?? 50);
const BACKEND = (process.env.BACKEND ?? 'wasm') as BackendName;
const THREADS = Number(process.env.THREADS ?? 1);

interface Sample { step: number; tensors: number; tfMiB: number; rssMiB: number; heapMiB: number; buffersMiB: number; wasmMiB: number }

/** Least-squares slope of `y` against `x`. */
function slope(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : 0;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-soak-'));
const corpus = path.join(dir, 'corpus.txt');
fs.writeFileSync(corpus, loadBundledCorpus('sotu', 'train').slice(0, 40).map((d) => d.sentences.join('\n')).join('\n\n') + '\n');
const info = await useBackend(BACKEND, BACKEND === 'wasm' ? { threads: THREADS } : {});
const samples: Sample[] = [];
const started = Date.now();
const r = await pretrain({
  config: presetConfig('albert-tiny'),
  objective: 'sop', corpus, vocab: fixturePath('sentencepiece', 'bpe500.model'), steps: STEPS, batchSize: 8, maxSeqLength: 32,
  evalEvery: Math.max(1, Math.floor(STEPS / 5)), evalExamples: 32, saveEvery: Math.max(1, Math.floor(STEPS / 5)),
  out: path.join(dir, 'run'), progress: false, logEvery: 50,
  onStep: ({ step }) => {
    if (step % EVERY !== 0) return;
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const wasm = BACKEND === 'wasm' ? wasmHeapBytes(tf.backend() as unknown as Parameters<typeof wasmHeapBytes>[0]) : 0;
    samples.push({
      step, tensors: tf.memory().numTensors, tfMiB: tf.memory().numBytes / 2 ** 20, rssMiB: m.rss / 2 ** 20, heapMiB: m.heapUsed / 2 ** 20,
      buffersMiB: m.arrayBuffers / 2 ** 20, wasmMiB: wasm / 2 ** 20,
    });
  },
});
const seconds = (Date.now() - started) / 1000;
shutdownBackends();
fs.rmSync(dir, { recursive: true, force: true });

const lines = [
  `Soak: ${r.step} pretraining steps of albert-tiny (H=128, E=64, I=512, L=4, V=500), batch 8 x 32 tokens, ${info.name} ` +
    `(${info.threads} thread${info.threads === 1 ? '' : 's'}), evaluation and checkpoint every ${Math.floor(STEPS / 5)} steps; ` +
    `${seconds.toFixed(0)} s, Node ${process.version}${typeof (globalThis as { gc?: unknown }).gc === 'function' ? ', sampled after a full GC' : ''}`,
  '',
  '| step | tensors | tfjs MiB | RSS MiB | JS heap MiB | ArrayBuffers MiB | wasm heap MiB |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...samples.map((s) => `| ${s.step} | ${s.tensors} | ${s.tfMiB.toFixed(2)} | ${s.rssMiB.toFixed(1)} | ${s.heapMiB.toFixed(1)} | ${s.buffersMiB.toFixed(1)} | ${s.wasmMiB.toFixed(0)} |`),
  '',
];
const fitted = (fit: Sample[]): string => {
  const per1000 = (key: keyof Sample) => 1000 * slope(fit.map((s) => s.step), fit.map((s) => s[key]));
  return `steps ${fit[0]?.step}-${fit.at(-1)?.step}: tensors ${per1000('tensors').toFixed(2)}, tfjs ${per1000('tfMiB').toFixed(3)} MiB, ` +
    `RSS ${per1000('rssMiB').toFixed(1)} MiB, JS heap ${per1000('heapMiB').toFixed(1)} MiB, ArrayBuffers ${per1000('buffersMiB').toFixed(1)} MiB, wasm heap ${per1000('wasmMiB').toFixed(1)} MiB`;
};
lines.push(`Least-squares slope per 1,000 steps, ${fitted(samples.slice(1))}`);
lines.push(`  and over the second half, ${fitted(samples.slice(Math.floor(samples.length / 2)))}`);
process.stdout.write(`${lines.join('\n')}\n`);
