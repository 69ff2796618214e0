// Child process for the signal test: pretrains a micro model, printing "step N" after each step.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { pretrain } from '../../src/index.js';
import { VOCAB, microConfig } from './tiny.js';

await tf.setBackend('cpu');
// vite-node (the runner of this child) exits with 143 on SIGTERM itself; leave the signal to the trainer, as in the CLI.
process.removeAllListeners('SIGTERM');
process.removeAllListeners('SIGINT');
const r = await pretrain({
  config: microConfig(), objective: 'sop', corpus: process.env.CORPUS!, vocab: VOCAB, steps: 400, batchSize: 2,
  maxSeqLength: 16, evalEvery: 0, saveEvery: 400, out: process.env.OUT!, progress: false, seed: 3,
  onStep: ({ step }) => { process.stdout.write(`step ${step}\n`); },
});
process.stdout.write(`status ${r.status} ${r.step}\n`);
