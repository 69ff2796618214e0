// `albert finetune`: sequence classification on a bundled downstream task from a pretrained checkpoint
// (`finetune` of @albert-ts/recipes; this file only turns the flags into its options).

import { finetune } from '@albert-ts/recipes';
import { integerOf, parseOptions } from '../args.js';
import { selectBackend } from '../backend-option.js';
import type { Command } from '../command.js';
import { FINETUNE_FLAGS, FINETUNE_USAGE, finetuneOptionsOf } from '../finetune-flags.js';

const USAGE = `usage: albert finetune ${FINETUNE_USAGE} [--seed S] [--from-scratch] [--save-every N] [--resume]`;

export const command: Command = {
  name: 'finetune',
  summary: 'Fine-tune a pretrained model for sequence classification on a downstream task (accuracy, F1)',
  async run(argv) {
    const o = parseOptions(argv, {
      ...FINETUNE_FLAGS, seed: { type: 'string' }, 'from-scratch': { type: 'boolean' }, 'save-every': { type: 'string' },
      resume: { type: 'boolean' },
    });
    if (o.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const options = finetuneOptionsOf(o, USAGE);
    await selectBackend(o.backend, 'wasm');
    const r = await finetune({
      ...options, seed: integerOf(o.seed, 'seed'), fromScratch: o['from-scratch'] ?? false,
      saveEvery: integerOf(o['save-every'], 'save-every'), resume: o.resume ?? false,
    });
    process.stdout.write(JSON.stringify({
      status: r.status, task: r.task, checkpoint: r.checkpoint, validation: r.validation, test: r.test,
    }) + '\n');
    return 0;
  },
};
