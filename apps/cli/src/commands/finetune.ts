// `albert finetune`: sequence classification on a bundled downstream task from a pretrained checkpoint.

import { finetune } from '@albert-ts/trainer';
import { choiceOption, intOption, parseOptions } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';

const USAGE = 'usage: albert finetune --model <dir> --task spam|sotu-party|moby-vs-sotu [--epochs N] [--lr X] ' +
  '[--batch-size B] [--max-seq-length T] [--seed S] [--from-scratch] [--max-train N] [--backend wasm|cpu|node-gpu] --out <dir>';

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
    let lr: number | undefined;
    if (o.lr !== undefined) {
      lr = Number(o.lr);
      if (!(Number.isFinite(lr) && lr > 0)) throw new UsageError(`--lr must be a positive number, got '${o.lr}'`);
    }
    const optInt = (v: string | undefined, name: string, min = 1) => (v === undefined ? undefined : intOption(v, name, min));
    const r = await finetune({
      model: o.model!, task: o.task!, out: o.out!, lr,
      epochs: optInt(o.epochs, 'epochs'), batchSize: optInt(o['batch-size'], 'batch-size'),
      maxSeqLength: optInt(o['max-seq-length'], 'max-seq-length', 8), seed: optInt(o.seed, 'seed', 0),
      fromScratch: o['from-scratch'] ?? false, maxTrainExamples: optInt(o['max-train'], 'max-train'),
      backend: o.backend === undefined ? undefined : choiceOption(o.backend, 'backend', ['wasm', 'cpu', 'node-gpu']),
    });
    process.stdout.write(JSON.stringify({
      status: r.status, task: r.task, checkpoint: r.checkpoint, validation: r.validation, test: r.test,
    }) + '\n');
    return 0;
  },
};
