// `albert pretrain`: MLM + SOP/NSP/none pretraining with LAMB, crash-safe checkpoints and exact resume.

import { pretrain } from '@albert-ts/trainer';
import { choiceOption, intOption, parseOptions } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';

const USAGE = 'usage: albert pretrain --config <preset|config.json> [--embedding-size N] ' +
  '[--sharing all|attention|ffn|none|groups:G[xI]] --objective sop|nsp|none --corpus <path|sotu|moby-dick> ' +
  '[--vocab <spiece.model>] --steps N --batch-size B --max-seq-length T [--lr X] [--warmup N] ' +
  '[--optimizer lamb|adamw] [--grad-accum K] [--eval-every N] [--save-every N] [--seed S] ' +
  '[--backend wasm|cpu|node-gpu] --out <dir> [--resume]';

function numberOption(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got '${value}'`);
  return n;
}

export const command: Command = {
  name: 'pretrain',
  summary: 'Pretrain ALBERT (MLM + SOP/NSP) with LAMB; JSONL metrics, atomic checkpoints, --resume',
  async run(argv) {
    const o = parseOptions(argv, {
      config: { type: 'string' }, 'embedding-size': { type: 'string' }, sharing: { type: 'string' },
      objective: { type: 'string' }, corpus: { type: 'string' }, vocab: { type: 'string' },
      steps: { type: 'string' }, 'batch-size': { type: 'string' }, 'max-seq-length': { type: 'string' },
      lr: { type: 'string' }, warmup: { type: 'string' }, optimizer: { type: 'string' },
      'grad-accum': { type: 'string' }, 'eval-every': { type: 'string' }, 'save-every': { type: 'string' },
      seed: { type: 'string' }, backend: { type: 'string' }, out: { type: 'string' }, resume: { type: 'boolean' },
    });
    if (o.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    for (const k of ['config', 'objective', 'corpus', 'steps', 'batch-size', 'max-seq-length', 'out'] as const) {
      if (o[k] === undefined) throw new UsageError(`missing required option --${k}; ${USAGE}`);
    }
    const optInt = (v: string | undefined, name: string, min = 1) => (v === undefined ? undefined : intOption(v, name, min));
    const result = await pretrain({
      config: o.config!,
      embeddingSize: optInt(o['embedding-size'], 'embedding-size'),
      sharing: o.sharing,
      objective: choiceOption(o.objective!, 'objective', ['sop', 'nsp', 'none']),
      corpus: o.corpus!,
      vocab: o.vocab,
      steps: intOption(o.steps!, 'steps'),
      batchSize: intOption(o['batch-size']!, 'batch-size'),
      maxSeqLength: intOption(o['max-seq-length']!, 'max-seq-length', 8),
      lr: o.lr === undefined ? undefined : numberOption(o.lr, 'lr'),
      warmup: optInt(o.warmup, 'warmup', 0),
      optimizer: o.optimizer === undefined ? undefined : choiceOption(o.optimizer, 'optimizer', ['lamb', 'adamw']),
      gradientAccumulation: optInt(o['grad-accum'], 'grad-accum'),
      evalEvery: optInt(o['eval-every'], 'eval-every', 0),
      saveEvery: optInt(o['save-every'], 'save-every'),
      seed: optInt(o.seed, 'seed', 0),
      backend: o.backend === undefined ? undefined : choiceOption(o.backend, 'backend', ['wasm', 'cpu', 'node-gpu']),
      out: o.out!,
      resume: o.resume ?? false,
    });
    const last = result.eval.at(-1);
    process.stdout.write(JSON.stringify({
      status: result.status, step: result.step, checkpoint: result.checkpoint, backend: result.backend,
      parameters: result.parameterCount, tokens_per_s: Math.round(result.tokensPerSecond),
      final_loss: result.train.at(-1)?.loss ?? null, eval: last ?? null,
    }) + '\n');
    return 0;
  },
};
