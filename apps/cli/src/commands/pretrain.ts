// `albert pretrain`: MLM + SOP/NSP/none pretraining with LAMB, crash-safe checkpoints and exact resume
// (`pretrain` of @albert-ts/recipes; this file only turns the flags into its options).

import { SENTENCE_OBJECTIVES, type SentenceObjective } from '@albert-ts/data';
import { pretrain } from '@albert-ts/recipes';
import { SHARING_NAMES } from '@albert-ts/sharing';
import { OPTIMIZER_NAMES, type OptimizerName } from '@albert-ts/trainer';
import { integerOf, numberOf, parseOptions } from '../args.js';
import { BACKEND_USAGE, selectBackend } from '../backend-option.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';

const USAGE = 'usage: albert pretrain --config <preset|config.json> [--embedding-size N] ' +
  `[--sharing ${SHARING_NAMES.join('|')}] --objective ${SENTENCE_OBJECTIVES.join('|')} --corpus <path|sotu|moby-dick> ` +
  '[--vocab <dir|spiece.model>] --steps N --batch-size B --max-seq-length T [--max-predictions P] [--lr X] [--warmup N] ' +
  `[--optimizer ${OPTIMIZER_NAMES.join('|')}] [--grad-accum K] [--eval-every N] [--eval-examples N] [--save-every N] [--seed S] ` +
  `[--backend ${BACKEND_USAGE}] --out <dir> [--resume]`;

export const command: Command = {
  name: 'pretrain',
  summary: 'Pretrain ALBERT (MLM + SOP/NSP) with LAMB; JSONL metrics, atomic checkpoints, --resume',
  async run(argv) {
    const o = parseOptions(argv, {
      config: { type: 'string' }, 'embedding-size': { type: 'string' }, sharing: { type: 'string' },
      objective: { type: 'string' }, corpus: { type: 'string' }, vocab: { type: 'string' },
      steps: { type: 'string' }, 'batch-size': { type: 'string' }, 'max-seq-length': { type: 'string' },
      'max-predictions': { type: 'string' },
      lr: { type: 'string' }, warmup: { type: 'string' }, optimizer: { type: 'string' },
      'grad-accum': { type: 'string' }, 'eval-every': { type: 'string' }, 'eval-examples': { type: 'string' },
      'save-every': { type: 'string' },
      seed: { type: 'string' }, backend: { type: 'string' }, out: { type: 'string' }, resume: { type: 'boolean' },
    });
    if (o.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    for (const k of ['config', 'objective', 'corpus', 'steps', 'batch-size', 'max-seq-length', 'out'] as const) {
      if (o[k] === undefined) throw new UsageError(`missing required option --${k}; ${USAGE}`);
    }
    await selectBackend(o.backend, 'wasm');
    const result = await pretrain({
      config: o.config!, embeddingSize: integerOf(o['embedding-size'], 'embedding-size'), sharing: o.sharing,
      objective: o.objective as SentenceObjective, corpus: o.corpus!, vocab: o.vocab,
      steps: integerOf(o.steps, 'steps')!, batchSize: integerOf(o['batch-size'], 'batch-size')!,
      maxSeqLength: integerOf(o['max-seq-length'], 'max-seq-length')!, lr: numberOf(o.lr, 'lr'),
      maxPredictionsPerSeq: integerOf(o['max-predictions'], 'max-predictions'),
      warmup: integerOf(o.warmup, 'warmup'), optimizer: o.optimizer as OptimizerName | undefined,
      gradientAccumulation: integerOf(o['grad-accum'], 'grad-accum'), evalEvery: integerOf(o['eval-every'], 'eval-every'),
      evalExamples: integerOf(o['eval-examples'], 'eval-examples'),
      saveEvery: integerOf(o['save-every'], 'save-every'), seed: integerOf(o.seed, 'seed'), out: o.out!,
      resume: o.resume ?? false,
    });
    const last = result.eval.at(-1);
    process.stdout.write(JSON.stringify({
      status: result.status, step: result.step, checkpoint: result.checkpoint, backend: result.backend,
      parameters: result.parameterCount, tokens_per_s: Math.round(result.tokensPerSecond),
      final_loss: result.train.at(-1)?.loss ?? null, eval: last ?? null, seconds: result.seconds,
    }) + '\n');
    return 0;
  },
};
