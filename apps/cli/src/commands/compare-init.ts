// `albert compare-init`: does pretraining help on a task? Fine-tunes it from a checkpoint and from random
// initialisation over several seeds (`compareInit` of @albert-ts/recipes; this file only turns the flags into its
// options and prints the result).

import { compareInit, formatCompareInit } from '@albert-ts/recipes';
import { integerOf, parseOptions } from '../args.js';
import { selectBackend } from '../backend-option.js';
import type { Command } from '../command.js';
import { FINETUNE_FLAGS, FINETUNE_USAGE, finetuneOptionsOf } from '../finetune-flags.js';

const USAGE = `usage: albert compare-init ${FINETUNE_USAGE} [--seeds 1,2,3] [--max-eval N] [--json]`;

/** `--seeds 1,2,3` as integers (ranges are the library's to check). */
function seedsOf(value: string | undefined): number[] | undefined {
  return value?.split(',').map((s) => integerOf(s, 'seeds')!);
}

export const command: Command = {
  name: 'compare-init',
  summary: 'Fine-tune a task from a checkpoint and from random init over several seeds: accuracy with intervals, [CLS] spread, collapses',
  async run(argv) {
    const o = parseOptions(argv, { ...FINETUNE_FLAGS, seeds: { type: 'string' }, 'max-eval': { type: 'string' }, json: { type: 'boolean' } });
    if (o.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const options = finetuneOptionsOf(o, USAGE);
    await selectBackend(o.backend, 'wasm');
    const r = await compareInit({
      ...options, seeds: seedsOf(o.seeds), maxEvalExamples: integerOf(o['max-eval'], 'max-eval'),
      onRun: (init, seed, i, n) => process.stderr.write(`run ${i + 1}/${n}: ${init}, seed ${seed}\n`),
    });
    process.stdout.write((o.json ? JSON.stringify(r) : formatCompareInit(r)) + '\n');
    return 0;
  },
};
