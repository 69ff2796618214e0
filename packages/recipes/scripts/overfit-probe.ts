// End-to-end overfit check (not a test, ~2-4 min on cpu): `finetune` a micro model on 32 moby-vs-sotu passages for
// EP (default 40) epochs from random weights and from a 1-step checkpoint; prints the per-epoch training loss.
//   node <vite-node> --config vitest.config.ts scripts/overfit-probe.ts
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { loadTask } from '@albert-ts/data';
import { finetune, pretrain } from '../src/index.js';
import { VOCAB, microConfig, smallCorpus, tmpOut } from '../test/helpers/tiny.js';

await tf.setBackend('cpu');
const task = loadTask('moby-vs-sotu');
const count = (xs: readonly { label: number }[]) => xs.reduce((a, e) => { a[e.label] = (a[e.label] ?? 0) + 1; return a; }, {} as Record<number, number>);
console.log('train', task.train.length, count(task.train), 'val', count(task.validation), 'test', count(task.test));
console.log('first 12 train labels', task.train.slice(0, 12).map((e) => e.label).join(''));
console.log('ex0', JSON.stringify(task.train[0]).slice(0, 200));
const dir = tmpOut();
await pretrain({ config: microConfig({ hiddenDropoutProb: 0, attentionProbsDropoutProb: 0 }), objective: 'sop', corpus: smallCorpus(12), vocab: VOCAB, steps: 1, batchSize: 2, maxSeqLength: 32, evalEvery: 0, out: dir, progress: false, handleSignals: false });
for (const fromScratch of [true, false]) {
  const t0 = Date.now();
  const r = await finetune({ model: dir, task: 'moby-vs-sotu', out: tmpOut(), epochs: Number(process.env.EP ?? 40), batchSize: 8, maxSeqLength: 32, lr: 1e-3,
    maxTrainExamples: 32, maxEvalExamples: 64, progress: false, handleSignals: false, fromScratch });
  console.log('fromScratch', fromScratch, 's', (Date.now() - t0) / 1000, 'epoch losses', r.epochs.map((e) => e.loss.toFixed(3)).join(' '), 'val', r.validation.accuracy, 'test', r.test.accuracy);
}
process.exit(0);
