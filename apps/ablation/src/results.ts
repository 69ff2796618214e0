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

/** Held-out intrinsic accuracies; all three are measured for every run (paper Table 5). */
export interface Intrinsic {
  mlm_acc: Accuracy;
  nsp_acc: Accuracy;
  sop_acc: Accuracy;
  /** Accuracy of always predicting the most frequent masked token of the evaluation set (a no-skill baseline). */
  mlm_majority?: number;
}

/** Figure 1 measurement for one layer: distance between its input and output embeddings. */
export type { LayerGeometry };

/** One evaluation point of a run's learning curve. */
export interface CurvePoint {
  step: number;
  tokens: number;
  loss?: number;
  mlm_acc?: number;
  nsp_acc?: number;
  sop_acc?: number;
}

/** What was trained, in the terms of the studies. */
export interface Variant {
  embeddingSize: number;
  hiddenSize: number;
  sharing: SharingName;
  objective: InterSentence;
  corpus: string;
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
  wall_s: number;
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
  /** Per-layer geometry (Figure 1), layer 1..L. */
  layers: LayerGeometry[];
  curves: CurvePoint[];
  /** HF-style config.json of the model and the training settings. */
  config: { model: Record<string, unknown>; training: Record<string, unknown> };
  seed: number;
  versions: Versions;
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
  /** Exact parameter tables for the paper's real configurations (see @albert-ts/analysis). */
  paper_tables?: PaperTable[];
  runs: RunResult[];
  /** The verdicts of "what this run shows" (written by the report). */
  claims?: import('./claims.js').ClaimResult[];
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
    for (const k of ['mlm_acc', 'nsp_acc', 'sop_acc'] as const) {
      const a = run.intrinsic?.[k];
      if (!a || typeof a.acc !== 'number' || !Array.isArray(a.ci95) || a.ci95.length !== 2) errs.push(`${at}.intrinsic.${k} malformed`);
      else if (!(a.ci95[0] <= a.acc && a.acc <= a.ci95[1])) errs.push(`${at}.intrinsic.${k} outside its interval`);
    }
    if (typeof run.downstream !== 'object' || run.downstream === null) errs.push(`${at}.downstream missing`);
    if (!Array.isArray(run.layers) || run.layers.some((l) => typeof l.l2 !== 'number' || typeof l.cosine_deg !== 'number')) {
      errs.push(`${at}.layers malformed`);
    }
    if (typeof run.config !== 'object' || !run.versions) errs.push(`${at}.config/versions missing`);
  });
  return errs;
}
