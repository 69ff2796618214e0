// The pretraining run the stages share: a micro ALBERT (H=32, L=2, E=16, V=2000) on the bundled `sotu` corpus with
// the 2,000-piece fixture vocabulary, T=32, batches of 8, on the cpu backend (exact and repeatable bit for bit).
import fs from 'node:fs';
import path from 'node:path';
import { CLI, VOCAB } from './paths.js';

/** config.json of the micro model (HF names). */
const MICRO_CONFIG = {
  model_type: 'albert', vocab_size: 2000, embedding_size: 16, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 2,
  intermediate_size: 64, num_hidden_groups: 1, inner_group_num: 1, hidden_act: 'gelu_new', hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1, max_position_embeddings: 64, type_vocab_size: 2, initializer_range: 0.02, layer_norm_eps: 1e-12,
};

/** Writes the micro config into `dir` (once) and returns its path. */
export function microConfig(dir: string): string {
  const file = path.join(dir, 'micro-config.json');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(MICRO_CONFIG, null, 1));
  }
  return file;
}

/** Settings of an `albert pretrain` of the micro model. */
export interface PretrainRun {
  readonly config: string;
  readonly out: string;
  readonly steps: number;
  readonly saveEvery: number;
  /** `--eval-every` (0: at the end only). */
  readonly evalEvery: number;
  readonly resume?: boolean;
}

/** `node` arguments of `albert pretrain` for a run of the micro model. */
export function pretrainArgs(r: PretrainRun): string[] {
  return [
    CLI, 'pretrain', '--config', r.config, '--objective', 'sop', '--corpus', 'sotu', '--vocab', VOCAB, '--steps', String(r.steps),
    '--batch-size', '8', '--max-seq-length', '32', '--max-predictions', '5', '--eval-every', String(r.evalEvery), '--eval-examples', '16',
    '--save-every', String(r.saveEvery), '--seed', '1', '--backend', 'cpu', '--out', r.out, ...(r.resume ? ['--resume'] : []),
  ];
}

/** Files of one of its checkpoints (for the length of a slowed-down save). */
export const CHECKPOINT_FILES = 7;
