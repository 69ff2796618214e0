// `albert sweep`: the learning-rate sweep of @albert-ts/recipes (every optimizer × rate × seed pretrained for a
// token budget, each scored on one held-out set against the most-frequent-token baseline); this file only turns the
// flags into its options. The Markdown table goes to stdout, sweep.json and sweep.md to --out.

import fs from 'node:fs';
import { SENTENCE_OBJECTIVES, type SentenceObjective } from '@albert-ts/data';
import { sweep } from '@albert-ts/recipes';
import { SHARING_NAMES } from '@albert-ts/sharing';
import { OPTIMIZER_NAMES, type OptimizerName } from '@albert-ts/trainer';
import { integerOf, numberOf, parseOptions } from '../args.js';
import { BACKEND_USAGE, selectBackend } from '../backend-option.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';

const USAGE = 'usage: albert sweep --config <preset|config.json> [--hidden-size H] [--num-hidden-layers L] ' +
  '[--embedding-size E] [--num-attention-heads A] [--intermediate-size I] [--vocab-size V] ' +
  `[--sharing ${SHARING_NAMES.join('|')}] [--objective ${SENTENCE_OBJECTIVES.join('|')}] --corpus <path|sotu|moby-dick|mixture> ` +
  `[--vocab <spiece.model>] --optimizers <${OPTIMIZER_NAMES.join('|')}>,... --rates 1e-3,3e-3 --tokens N [--seeds 0,1] --batch-size B ` +
  '--max-seq-length T [--max-predictions P] [--dupe-factor K] [--warmup-proportion 0.1] [--eval-pairs 512] ' +
  `[--curve-points 4] [--backend ${BACKEND_USAGE}] --out <dir>\n` +
  'Pretrains every optimizer x rate x seed for --tokens tokens and scores each on one held-out set: MLM accuracy with ' +
  'a 95% interval against the most-frequent-token baseline, MLM loss, attention entropy. Re-run to resume.';

/** A comma-separated list of numbers. */
function numberList(value: string | undefined, name: string): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new UsageError(`--${name} must be a comma-separated list of numbers, got '${value}'`);
  return parts.map((p) => numberOf(p, name)!);
}

export const command: Command = {
  name: 'sweep',
  summary: 'Learning-rate sweep: pretrain optimizers x rates x seeds, MLM accuracy against the most-frequent-token baseline',
  async run(argv) {
    const o = parseOptions(argv, {
      config: { type: 'string' }, 'hidden-size': { type: 'string' }, 'num-hidden-layers': { type: 'string' },
      'embedding-size': { type: 'string' }, 'num-attention-heads': { type: 'string' }, 'intermediate-size': { type: 'string' },
      'vocab-size': { type: 'string' }, sharing: { type: 'string' }, objective: { type: 'string' }, corpus: { type: 'string' },
      vocab: { type: 'string' }, optimizers: { type: 'string' }, rates: { type: 'string' }, tokens: { type: 'string' },
      seeds: { type: 'string' }, 'batch-size': { type: 'string' }, 'max-seq-length': { type: 'string' },
      'max-predictions': { type: 'string' }, 'dupe-factor': { type: 'string' }, 'warmup-proportion': { type: 'string' },
      'eval-pairs': { type: 'string' }, 'curve-points': { type: 'string' }, backend: { type: 'string' }, out: { type: 'string' },
    });
    if (o.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    for (const k of ['config', 'corpus', 'optimizers', 'rates', 'tokens', 'batch-size', 'max-seq-length', 'out'] as const) {
      if (o[k] === undefined) throw new UsageError(`missing required option --${k}; ${USAGE.split('\n')[0]}`);
    }
    const overrides = Object.fromEntries(Object.entries({
      hiddenSize: integerOf(o['hidden-size'], 'hidden-size'), numHiddenLayers: integerOf(o['num-hidden-layers'], 'num-hidden-layers'),
      embeddingSize: integerOf(o['embedding-size'], 'embedding-size'), numAttentionHeads: integerOf(o['num-attention-heads'], 'num-attention-heads'),
      intermediateSize: integerOf(o['intermediate-size'], 'intermediate-size'), vocabSize: integerOf(o['vocab-size'], 'vocab-size'),
    }).filter(([, v]) => v !== undefined));
    const seeds = numberList(o.seeds, 'seeds');
    await selectBackend(o.backend, 'wasm');
    const result = await sweep({
      config: o.config!, overrides, sharing: o.sharing, objective: o.objective as SentenceObjective | undefined, corpus: o.corpus!,
      vocab: o.vocab, optimizers: o.optimizers!.split(',').map((s) => s.trim()).filter(Boolean) as OptimizerName[], rates: numberList(o.rates, 'rates')!,
      tokens: integerOf(o.tokens, 'tokens')!, seeds, batchSize: integerOf(o['batch-size'], 'batch-size')!,
      maxSeqLength: integerOf(o['max-seq-length'], 'max-seq-length')!, maxPredictionsPerSeq: integerOf(o['max-predictions'], 'max-predictions'),
      dupeFactor: integerOf(o['dupe-factor'], 'dupe-factor'), warmupProportion: numberOf(o['warmup-proportion'], 'warmup-proportion'),
      evalPairs: integerOf(o['eval-pairs'], 'eval-pairs'), curvePoints: integerOf(o['curve-points'], 'curve-points'), out: o.out!,
    });
    process.stdout.write(fs.readFileSync(result.files.markdown, 'utf8'));
    return 0;
  },
};
