// `albert eval`: accuracy and F1 of a fine-tuned classifier on a task split, as JSON
// (`evaluateClassifier` of @albert-ts/recipes).

import { TASK_NAMES } from '@albert-ts/data';
import { writeOutput } from '@albert-ts/core/process';
import { evaluateClassifier } from '@albert-ts/recipes';
import { integerOf, parseOptions } from '../args.js';
import { BACKEND_USAGE, selectBackend } from '../backend-option.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';

const SPLITS = ['test', 'validation', 'train'] as const;
const USAGE = `usage: albert eval --model <dir> [--task ${TASK_NAMES.join('|')}] [--split ${SPLITS.join('|')}] ` +
  `[--max-seq-length T] [--backend ${BACKEND_USAGE}]`;

export const command: Command = {
  name: 'eval',
  summary: 'Evaluate a fine-tuned classifier on a downstream task (JSON: accuracy, f1, macroF1, count)',
  async run(argv) {
    const o = parseOptions(argv, {
      model: { type: 'string' }, task: { type: 'string' }, split: { type: 'string' },
      'max-seq-length': { type: 'string' }, backend: { type: 'string' },
    });
    if (o.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (o.model === undefined) throw new UsageError(`missing required option --model; ${USAGE}`);
    await selectBackend(o.backend, 'wasm');
    const metrics = await evaluateClassifier({
      model: o.model, task: o.task, split: o.split as (typeof SPLITS)[number] | undefined,
      maxSeqLength: integerOf(o['max-seq-length'], 'max-seq-length'),
    });
    await writeOutput(JSON.stringify(metrics) + '\n');
    return 0;
  },
};
