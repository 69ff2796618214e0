// `albert finetune`: sequence classification on a bundled downstream task from a pretrained checkpoint
// (`finetune` of @albert-ts/recipes; this file only turns the flags into its options).

import { TASK_NAMES } from '@albert-ts/data';
import { finetune } from '@albert-ts/recipes';
import { integerOf, numberOf, parseOptions } from '../args.js';
import { BACKEND_USAGE, selectBackend } from '../backend-option.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';

const USAGE = `usage: albert finetune --model <dir> --task ${TASK_NAMES.join('|')} [--epochs N] [--lr X] ` +
  `[--batch-size B] [--max-seq-length T] [--seed S] [--from-scratch] [--max-train N] [--backend ${BACKEND_USAGE}] --out <dir>`;

export const command: Command = {
  name: 'finetune',
  summary: 'Fine-tune a pretrained model for sequence classification on a downstream task (accuracy, F1)',
  async run(argv) {
    const o = parseOptions(argv, {
      model: { type: 'string' }, task: { type: 'string' }, epochs: { type: 'string' }, lr: { type: 'string' },
      'batch-size': { type: 'string' }, 'max-seq-length': { type: 'string' }, seed: { type: 'string' },
      'from-scratch': { type: 'boolean' }, 'max-train': { type: 'string' }, backend: { type: 'string' },
      out: { type: 'string' },
    });
    if (o.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    for (const k of ['model', 'task', 'out'] as const) {
      if (o[k] === undefined) throw new UsageError(`missing required option --${k}; ${USAGE}`);
    }
    await selectBackend(o.backend, 'wasm');
    const r = await finetune({
      model: o.model!, task: o.task!, out: o.out!, lr: numberOf(o.lr, 'lr'), epochs: integerOf(o.epochs, 'epochs'),
      batchSize: integerOf(o['batch-size'], 'batch-size'), maxSeqLength: integerOf(o['max-seq-length'], 'max-seq-length'),
      seed: integerOf(o.seed, 'seed'), fromScratch: o['from-scratch'] ?? false,
      maxTrainExamples: integerOf(o['max-train'], 'max-train'),
    });
    process.stdout.write(JSON.stringify({
      status: r.status, task: r.task, checkpoint: r.checkpoint, validation: r.validation, test: r.test,
    }) + '\n');
    return 0;
  },
};
