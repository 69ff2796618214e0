// The flags `albert finetune` and `albert compare-init` share (one fine-tuning budget), kept in one place.
import { TASK_NAMES } from '@albert-ts/data';
import type { FinetuneOptions } from '@albert-ts/recipes';
import { OPTIMIZER_NAMES, type OptimizerName } from '@albert-ts/trainer';
import { integerOf, numberOf } from './args.js';
import { BACKEND_USAGE } from './backend-option.js';
import { UsageError } from './command.js';

/** `parseOptions` config of the shared flags. */
export const FINETUNE_FLAGS = {
  model: { type: 'string' }, task: { type: 'string' }, out: { type: 'string' }, epochs: { type: 'string' },
  lr: { type: 'string' }, optimizer: { type: 'string' }, 'batch-size': { type: 'string' },
  'max-seq-length': { type: 'string' }, 'max-train': { type: 'string' }, 'max-eval': { type: 'string' }, backend: { type: 'string' },
} as const;

/** Usage text of the shared flags. */
export const FINETUNE_USAGE = `--model <dir> --task ${TASK_NAMES.join('|')} --out <dir> [--epochs N] [--lr X] ` +
  `[--optimizer ${OPTIMIZER_NAMES.join('|')}] [--batch-size B] [--max-seq-length T] [--max-train N] [--max-eval N] [--backend ${BACKEND_USAGE}]`;

type Flags = { [K in keyof typeof FINETUNE_FLAGS]?: string };

/** The shared flags as `finetune` options; `--model`, `--task` and `--out` are required (`usage` is appended to the error). */
export function finetuneOptionsOf(o: Flags, usage: string): Pick<FinetuneOptions,
  'model' | 'task' | 'out' | 'epochs' | 'lr' | 'optimizer' | 'batchSize' | 'maxSeqLength' | 'maxTrainExamples' | 'maxEvalExamples'> {
  for (const k of ['model', 'task', 'out'] as const) {
    if (o[k] === undefined) throw new UsageError(`missing required option --${k}; ${usage}`);
  }
  return {
    model: o.model!, task: o.task!, out: o.out!, epochs: integerOf(o.epochs, 'epochs'), lr: numberOf(o.lr, 'lr'),
    optimizer: o.optimizer as OptimizerName | undefined, batchSize: integerOf(o['batch-size'], 'batch-size'),
    maxSeqLength: integerOf(o['max-seq-length'], 'max-seq-length'), maxTrainExamples: integerOf(o['max-train'], 'max-train'),
    maxEvalExamples: integerOf(o['max-eval'], 'max-eval'),
  };
}
