// The machine-readable results.json schema: one object per pretraining run, plus the header naming the preset,
// backend and versions that produced every number.
import type { LayerGeometry, PaperTable } from '@albert-ts/analysis';

/** The three studies of the paper this app reproduces. */
export type Study = 'embedding' | 'sharing' | 'objective';

/** Sharing strategies the studies compare (the names of @albert-ts/sharing). */
export type SharingName = 'all-shared' | 'shared-attention' | 'shared-ffn' | 'not-shared' | `grouped-${number}`;

/** Inter-sentence objectives. */
export type InterSentence = 'sop' | 'nsp' | 'none';

/** One accuracy with its 95% interval. */
export interface Accuracy {
  /** Proportion correct. */
  acc: number;
  /** 95% interval [lo, hi]. */
  ci95: [number, number];
  /** Evaluation examples (masked tokens for MLM, sentence pairs for NSP/SOP). */
  n: number;
}

/**
 * Sentence-head accuracies, named by which head is scored on which pairs: `sop_acc` (SOP head on SOP pairs),
 * `nsp_acc` (NSP head on NSP pairs), and the cross scores. A head is never scored as "NSP accuracy" unless it was
 * trained on NSP.
 */
export const SENTENCE_KEYS = [
  'sop_acc', 'nsp_acc', 'sop_head_on_nsp_pairs', 'nsp_head_on_sop_pairs', 'untrained_head_on_sop_pairs', 'untrained_head_on_nsp_pairs',
] as const;
export type SentenceKey = (typeof SENTENCE_KEYS)[number];

/** The held-out pair set a sentence key is scored on. */
export function pairsOf(key: SentenceKey): 'sop' | 'nsp' {
  return key === 'nsp_acc' || key.endsWith('_on_nsp_pairs') ? 'nsp' : 'sop';
}

/** What the label-blind surface rules score on one held-out pair set (better orientation of each). */
export interface PairCues {
  length_rule: Accuracy;
  punctuation_rule: Accuracy;
}

/** Held-out intrinsic measurements of one run (paper Table 5, with the baselines that keep them honest). */
export type Intrinsic = {
  mlm_acc: Accuracy;
  mlm_loss?: number;
  /** Always predicting the most frequent masked token of the same targets (a no-skill baseline). */
  mlm_baseline?: Accuracy;
  /** The MLM interval lies above the baseline's: the run learned something; false = "did not learn: recipe". */
  mlm_left_baseline?: boolean;
  /** Surface cues of the length-matched, label-balanced held-out pairs the sentence accuracies are scored on. */
  pair_cues?: { sop: PairCues; nsp: PairCues };
  /** Mean attention-row entropy (nats) against uniform attention over the same rows, and per layer application. */
  attention_entropy?: { mean: number; uniform: number; by_layer: number[] };
} & { [K in SentenceKey]?: Accuracy };

/** Figure 1 measurement for one layer: distance between its input and output embeddings. */
export type { LayerGeometry };

/** One evaluation point of a run's learning curve (on the smaller curve sets). */
export type CurvePoint = {
  step: number;
  tokens: number;
  loss?: number;
  mlm_acc?: number;
  mlm_baseline?: number;
} & { [K in SentenceKey]?: number };

/** What was trained, in the terms of the studies. */
export interface Variant {
  embeddingSize: number;
  hiddenSize: number;
  sharing: SharingName;
  objective: InterSentence;
  corpus: string;
}

/** Wall seconds of one run, by phase (the invocation that finished it). */
export interface RunSeconds {
  /** Data preparation of the run (instances; shared parts are cached), model building, worker start. */
  setup: number;
  /** Training steps (checkpoints included). */
  pretrain: number;
  /** Curve evaluations and the final held-out evaluation. */
  eval: number;
  /** Fine-tuning (pretrained and random-init) with their evaluations. */
  finetune: number;
  total: number;
}

/** One pretraining run with its evaluations. */
export interface RunResult {
  /** Unique id within a report, e.g. `embedding/E16-all-shared/s0`. */
  id: string;
  study: Study;
  /** Short human label, e.g. `E=16 all-shared`. */
  label: string;
  variant: Variant;
  /** Exact unique trainable parameters of the encoder model (embeddings + encoder + pooler, as HF AlbertModel). */
  params: number;
  tokens_per_s: number;
  /** Training seconds across resumes (the trainer's clock). */
  wall_s: number;
  seconds?: RunSeconds;
  steps: number;
  tokens_seen: number;
  intrinsic: Intrinsic;
  /** Fine-tuned test accuracy per downstream task. */
  downstream: Record<string, number>;
  /** 95% intervals and sizes for the downstream accuracies. */
  downstream_ci95: Record<string, { ci95: [number, number]; n: number }>;
  /** Share of the most frequent label in each task's full test split (a no-skill baseline). */
  downstream_majority?: Record<string, number>;
  /** Test F1 per task (positive class for binary tasks); 0 flags a one-class predictor. */
  downstream_f1?: Record<string, number>;
  /** Tasks whose fine-tune collapsed to one class (recipes' collapse monitor). */
  downstream_collapsed?: string[];
  /** The same configuration fine-tuned from random weights at the same budget (the baseline pretraining must beat). */
  downstream_random_init?: Record<string, Accuracy & { f1: number; collapsed?: boolean }>;
  /** Per-layer geometry (Figure 1), layer 1..L. */
  layers: LayerGeometry[];
  curves: CurvePoint[];
  /** Cue rules of the curve's (smaller) pair sets, constant along the curve. */
  curve_cues?: { sop: { length_rule: number; punctuation_rule: number }; nsp: { length_rule: number; punctuation_rule: number } };
  /** HF-style config.json of the model and the training settings. */
  config: { model: Record<string, unknown>; training: Record<string, unknown> };
  seed: number;
  versions: Versions;
}

/** A run with checkpoints but no result yet: no final evaluation, only its curve on the curve sets. */
export interface InProgressRun {
  id: string;
  study: Study;
  label: string;
  seed: number;
  /** Last step recorded, and the run's total. */
  step: number;
  steps: number;
  tokens: number;
  total_tokens: number;
  curves: CurvePoint[];
}

/** Versions of everything that produced a number. */
export interface Versions {
  'albert-ts': string;
  ablation: string;
  'tfjs-core': string;
  node: string;
  backend: string;
  [k: string]: string;
}

/** Where the wall time of a grid went (this invocation, and the runs' own split across invocations). */
export interface Timing {
  /** Tokenizer, corpus and evaluation sets (this invocation). */
  prepare_s: number;
  /** Sum over the reported runs of their phases. */
  setup_s: number;
  pretrain_s: number;
  eval_s: number;
  finetune_s: number;
  /** Report rendering (the previous write, when known). */
  report_s: number;
  /** pretrain_s over everything above: the share of the budget that went to pretraining. */
  pretrain_share: number;
  /** Wall time of this invocation so far. */
  wall_s: number;
  /** Runs trained side by side (child processes). */
  parallel: number;
}

/** The whole results.json. */
export interface Results {
  preset: string;
  backend: string;
  threads?: number;
  created: string;
  versions: Versions;
  /** Present when only some runs of the grid have finished. */
  partial?: { finished: number; total: number };
  /** What this preset's budget can and cannot resolve, in plain words. */
  budget?: string[];
  /** Claims this preset is sized to answer (claim id prefixes). */
  answers?: string[];
  /** The recipe every run used (optimizer, rate, warmup, tokens per run, batch). */
  recipe?: Record<string, unknown>;
  timing?: Timing;
  /** Exact parameter tables for the paper's real configurations (see @albert-ts/analysis). */
  paper_tables?: PaperTable[];
  runs: RunResult[];
  /** Runs started but not finished (a long study between sessions): how far each got, and its curve so far. */
  in_progress?: InProgressRun[];
  /** The verdicts of "what this run shows" (written by the report). */
  claims?: import('./claims.js').ClaimResult[];
}

function checkAccuracy(a: unknown, at: string, errs: string[]): void {
  const x = a as Partial<Accuracy> | undefined;
  if (!x || typeof x.acc !== 'number' || !Array.isArray(x.ci95) || x.ci95.length !== 2) errs.push(`${at} malformed`);
  else if (Number.isFinite(x.acc) && !(x.ci95[0] <= x.acc && x.acc <= x.ci95[1])) errs.push(`${at} outside its interval`);
}

/** Structural check of a parsed results.json; returns a list of problems (empty when valid). */
export function validateResults(r: unknown): string[] {
  const errs: string[] = [];
  const o = r as Partial<Results>;
  if (typeof o !== 'object' || o === null) return ['results is not an object'];
  if (typeof o.preset !== 'string') errs.push('preset missing');
  if (typeof o.backend !== 'string') errs.push('backend missing');
  if (!Array.isArray(o.runs)) return [...errs, 'runs is not an array'];
  o.runs.forEach((run, i) => {
    const at = `runs[${i}]`;
    if (!['embedding', 'sharing', 'objective'].includes(run.study)) errs.push(`${at}.study=${String(run.study)}`);
    for (const k of ['params', 'tokens_per_s', 'wall_s', 'seed'] as const) {
      if (typeof run[k] !== 'number' || !Number.isFinite(run[k])) errs.push(`${at}.${k} not a finite number`);
    }
    checkAccuracy(run.intrinsic?.mlm_acc, `${at}.intrinsic.mlm_acc`, errs);
    for (const k of SENTENCE_KEYS) if (run.intrinsic?.[k] !== undefined) checkAccuracy(run.intrinsic[k], `${at}.intrinsic.${k}`, errs);
    if (run.seconds) {
      for (const k of ['setup', 'pretrain', 'eval', 'finetune', 'total'] as const) {
        if (typeof run.seconds[k] !== 'number' || !(run.seconds[k] >= 0)) errs.push(`${at}.seconds.${k} not a number >= 0`);
      }
    }
    if (typeof run.downstream !== 'object' || run.downstream === null) errs.push(`${at}.downstream missing`);
    if (!Array.isArray(run.layers) || run.layers.some((l) => typeof l.l2 !== 'number' || typeof l.cosine_deg !== 'number')) {
      errs.push(`${at}.layers malformed`);
    }
    if (typeof run.config !== 'object' || !run.versions) errs.push(`${at}.config/versions missing`);
  });
  return errs;
}
