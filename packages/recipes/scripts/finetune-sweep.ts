// The fine-tuning learning-rate sweep (not a test): for each task and rate, `compareInit` (the same budget from the
// pretrained checkpoint and from random initialisation over several seeds), then one table. Its purpose is to choose
// `finetune`'s default rate: the rate where pretrained fine-tuning is best with no collapsed seed. Every run is
// stored under OUT, so an interrupted sweep continues where it stopped (rerun the same command).
//
//   cd packages/recipes && MODEL=runs/tiny OUT=/tmp/ft-sweep \
//     node ../../node_modules/.pnpm/node_modules/vite-node/vite-node.mjs --config vitest.config.ts scripts/finetune-sweep.ts
//
// env: MODEL (a pretrained run or HF directory, required), OUT (default /tmp/albert-finetune-sweep), TASKS
// (default moby-vs-sotu,spam), RATES (default 3e-5,1e-4,3e-4,1e-3), SEEDS (default 1,2,3), OPTIMIZER (default:
// finetune's), EPOCHS (3), BATCH (16), SEQ (64), MAX_TRAIN (1500), MAX_EVAL (400), BACKEND (wasm), THREADS (wasm
// threads, default the backend's).
import fs from 'node:fs';
import path from 'node:path';
import { type BackendName, useBackend } from '@albert-ts/backends';
import type { OptimizerName } from '@albert-ts/trainer';
import { type CompareInitResult, compareInit, formatCompareInit } from '../src/index.js';

const env = (k: string, d?: string): string => {
  const v = process.env[k] ?? d;
  if (v === undefined) throw new Error(`set ${k}`);
  return v;
};
const list = (k: string, d: string) => env(k, d).split(',').map((s) => s.trim()).filter(Boolean);
const MODEL = env('MODEL');
const OUT = path.resolve(env('OUT', '/tmp/albert-finetune-sweep'));
const TASKS = list('TASKS', 'moby-vs-sotu,spam');
const RATES = list('RATES', '3e-5,1e-4,3e-4,1e-3').map(Number);
const SEEDS = list('SEEDS', '1,2,3').map(Number);
const budget = {
  epochs: Number(env('EPOCHS', '3')), batchSize: Number(env('BATCH', '16')), maxSeqLength: Number(env('SEQ', '64')),
  maxTrainExamples: Number(env('MAX_TRAIN', '1500')), maxEvalExamples: Number(env('MAX_EVAL', '400')),
  optimizer: process.env['OPTIMIZER'] as OptimizerName | undefined,
};
const threads = process.env['THREADS'] === undefined ? undefined : Number(process.env['THREADS']);
await useBackend(env('BACKEND', 'wasm') as BackendName, threads === undefined ? {} : { threads });

const started = Date.now();
const cells: { task: string; lr: number; result: CompareInitResult }[] = [];
for (const task of TASKS) {
  for (const lr of RATES) {
    process.stderr.write(`== ${task}, lr ${lr}\n`);
    const result = await compareInit({
      ...budget, model: MODEL, task, lr, seeds: SEEDS, out: path.join(OUT, task, `lr-${lr}`), progress: false,
      onRun: (init, seed, i, n) => process.stderr.write(`   run ${i + 1}/${n}: ${init}, seed ${seed}\n`),
    });
    process.stderr.write(formatCompareInit(result) + '\n');
    cells.push({ task, lr, result });
  }
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const ci = (i: { value: number; lo: number; hi: number }) => `${f3(i.value)} [${f3(i.lo)}, ${f3(i.hi)}]`;
const rows = cells.map(({ task, lr, result: r }) =>
  `| ${task} | ${lr} | ${ci(r.pretrained.accuracy)} | ${r.pretrained.collapsed}/${r.seeds.length} | ${ci(r.random.accuracy)} | ` +
  `${r.random.collapsed}/${r.seeds.length} | ${ci(r.difference)} | ${f3(r.majority.rate)} |`);
const best = TASKS.map((task) => {
  const ok = cells.filter((c) => c.task === task && c.result.pretrained.collapsed === 0);
  const top = ok.sort((a, b) => b.result.pretrained.accuracy.value - a.result.pretrained.accuracy.value)[0];
  return `- ${task}: ${top === undefined ? 'every rate had a collapsed pretrained seed' : `lr ${top.lr} (pretrained ${ci(top.result.pretrained.accuracy)})`}`;
});
const md = [
  `Fine-tuning sweep from ${path.resolve(MODEL)}: ${SEEDS.length} seeds per cell, ${budget.epochs} epochs of batch ` +
    `${budget.batchSize} x ${budget.maxSeqLength} on at most ${budget.maxTrainExamples} training examples, ` +
    `${budget.optimizer ?? 'the default optimizer'}, ${((Date.now() - started) / 60000).toFixed(1)} min (this invocation).`,
  '',
  '| task | lr | pretrained: test accuracy [95% t] | collapsed | random init: test accuracy [95% t] | collapsed | pretrained - random [95% t, paired] | majority rate |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows,
  '',
  'Highest mean pretrained accuracy with no collapsed seed:',
  ...best,
].join('\n');
fs.mkdirSync(OUT, { recursive: true });
fs.writeFileSync(path.join(OUT, 'finetune-sweep.md'), md + '\n');
fs.writeFileSync(path.join(OUT, 'finetune-sweep.json'), JSON.stringify({ model: path.resolve(MODEL), budget, seeds: SEEDS, cells }, null, 1) + '\n');
process.stdout.write(md + '\n');
