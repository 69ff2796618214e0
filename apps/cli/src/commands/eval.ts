// `albert eval`: accuracy and F1 of a fine-tuned classifier on a task split, as JSON.

import { evaluateClassifier } from '@albert-ts/trainer';
import { choiceOption, intOption, parseOptions } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';

const USAGE = 'usage: albert eval --model <dir> [--task spam|sotu-party|moby-vs-sotu] [--split test|validation|train] ' +
  '[--max-seq-length T] [--backend wasm|cpu|node-gpu]';

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
    const metrics = await evaluateClassifier({
      model: o.model, task: o.task,
      split: o.split === undefined ? undefined : choiceOption(o.split, 'split', ['test', 'validation', 'train']),
      maxSeqLength: o['max-seq-length'] === undefined ? undefined : intOption(o['max-seq-length'], 'max-seq-length', 8),
      backend: o.backend === undefined ? undefined : choiceOption(o.backend, 'backend', ['wasm', 'cpu', 'node-gpu']),
    });
    process.stdout.write(JSON.stringify(metrics) + '\n');
    return 0;
  },
};
