// Resident-memory check for long runs (a benchmark script, not a test): trains a small model for STEPS steps and
// prints RSS, heap and tfjs tensor/byte counts every EVERY steps, then the growth between the first and last
// sample after warm-up.   node <vite-node> --config vitest.config.ts scripts/rss.ts   (env: STEPS, EVERY, BACKEND)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type BackendName } from '@albert-ts/backends';
import { fixturePath } from '@albert-ts/testing';
import { presetConfig } from '@albert-ts/core';
import { loadBundledCorpus } from '@albert-ts/data';
import { pretrain } from '../src/index.js';

const STEPS = Number(process.env.STEPS ?? 2000);
const EVERY = Number(process.env.EVERY ?? 100);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-rss-'));
const corpus = path.join(dir, 'corpus.txt');
fs.writeFileSync(corpus, loadBundledCorpus('sotu', 'train').slice(0, 40).map((d) => d.sentences.join('\n')).join('\n\n') + '\n');
const samples: { step: number; rssMiB: number; heapMiB: number; tensors: number; tfMiB: number }[] = [];
await useBackend((process.env.BACKEND ?? 'wasm') as BackendName);
await pretrain({
  config: { ...presetConfig('albert-tiny'), hiddenSize: 64, embeddingSize: 32, intermediateSize: 128 },
  objective: 'sop', corpus, vocab: fixturePath('sentencepiece', 'bpe500.model'), steps: STEPS, batchSize: 8,
  maxSeqLength: 32, evalEvery: Math.max(1, Math.floor(STEPS / 5)), evalExamples: 32, saveEvery: Math.max(1, Math.floor(STEPS / 5)),
  out: path.join(dir, 'run'), progress: false, logEvery: 50,
  onStep: ({ step }) => {
    if (step % EVERY !== 0) return;
    const m = process.memoryUsage();
    const s = { step, rssMiB: m.rss / 2 ** 20, heapMiB: m.heapUsed / 2 ** 20, tensors: tf.memory().numTensors, tfMiB: tf.memory().numBytes / 2 ** 20 };
    samples.push(s);
    process.stdout.write(`${JSON.stringify(s)}\n`);
  },
});
const warm = samples[Math.min(1, samples.length - 1)];
const last = samples[samples.length - 1];
process.stdout.write(`RSS growth from step ${warm.step} to ${last.step}: ${(last.rssMiB - warm.rssMiB).toFixed(1)} MiB; ` +
  `tensors ${warm.tensors} -> ${last.tensors}\n`);
fs.rmSync(dir, { recursive: true, force: true });
