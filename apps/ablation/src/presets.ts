// Preset grids: how big the models are, what each run trains on and for how long (the recipe), which variants
// each study compares, and which claims each preset is sized to answer (printed in every report).
//
// THE TABLE TO EDIT after a learning-rate sweep is RECIPES below: per preset, the optimizer, the peak rate, the
// warmup and the training tokens per run. `pnpm ablation --preset <p> --sweep` measures the candidates for a
// preset's model shape (see the README's "Learning-rate sweep").
import type { OptimizerName } from '@albert-ts/trainer';
import type { CorpusSample } from './corpus.js';
import type { InterSentence, SharingName, Study } from './results.js';

/** Model shape shared by all runs of a preset (E and sharing vary per run). */
export interface PresetModel {
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  intermediateSize: number;
  /** Vocabulary size of the unigram model trained once per report on the pretraining corpus. */
  vocabSize: number;
  maxSeqLength: number;
}

/** How every run of a preset pretrains: the part a sweep decides. */
export interface Recipe {
  /** An optimizer name of `@albert-ts/trainer` (`OPTIMIZER_NAMES`): `adamw` is torch's bias-corrected AdamW. */
  optimizer: OptimizerName;
  /** Peak learning rate (linear warmup, then linear decay to 0). */
  learningRate: number;
  /** Warmup as a fraction of the run's steps. */
  warmupProportion: number;
  /** Training tokens per run (steps = tokens / (batch × sequence length), rounded up). */
  tokensPerRun: number;
  batchSize: number;
}

/** Evaluation and checkpoint settings of a preset. */
export interface PresetTraining extends Recipe {
  maxPredictionsPerSeq: number;
  /** Passes over the corpus when creating instances, each with fresh masks (enough that a run sees each mask once). */
  dupeFactor: number;
  /** Curve evaluations per run (plus one at step 0), on `curvePairs` held-out pairs per set. */
  curvePoints: number;
  curvePairs: number;
  /**
   * Held-out pairs per set (SOP, NSP) of the final evaluation; MLM accuracy is scored on the SOP set's masked
   * tokens (~0.14 × T per pair), so choose at least 4,000 / (0.14 × T) pairs for a 2-point MLM resolution.
   */
  finalPairs: number;
  /** Checkpoints per run (resume granularity). */
  checkpoints: number;
}

/** Fine-tuning budget per pretrained model and task (the optimizer and default rate are `finetune`'s). */
export interface PresetFinetune {
  tasks: string[];
  epochs: number;
  batchSize: number;
  /** Peak rate; undefined: the recipe's default. */
  learningRate?: number;
  /** Cap on training examples per task (undefined: all). */
  maxTrainExamples?: number;
  /** Cap on validation and test examples per task (undefined: all). */
  maxTestExamples?: number;
  maxSeqLength: number;
  /** Also fine-tune a randomly initialised model of the same configuration at the same budget (the baseline). */
  randomInit: boolean;
}

/** The learning-rate sweep of a preset (see `sweep` of @albert-ts/recipes). */
export interface PresetSweep {
  /** Configurations swept (the preset's model shape at these E and sharings), each with every optimizer and rate. */
  variants: Array<{ embeddingSize: number; sharing: SharingName }>;
  /** Rates per optimizer name. */
  rates: Partial<Record<OptimizerName, number[]>>;
  /** Training tokens per cell. */
  tokensPerCell: number;
  seeds: number;
}

/** Rates around each optimizer's usable range at these sizes (AdamW 5e-3 and LAMB 2e-2 never learned in PyTorch). */
const SWEEP_RATES = { adamw: [5e-4, 1e-3, 2e-3, 3e-3, 5e-3], lamb: [2e-3, 5e-3, 1e-2, 2e-2] };

/** A complete preset. */
export interface Preset {
  name: 'smoke' | 'demo' | 'quick' | 'full';
  description: string;
  /** Plain statements of what this budget can and cannot resolve. */
  budget: string[];
  model: PresetModel;
  training: PresetTraining;
  finetune: PresetFinetune;
  /** Pretraining corpus of every study (the objective study needs topic shifts for NSP negatives). */
  corpus: string;
  /** A deterministic subset of the corpus's training split (small presets), or undefined for all of it. */
  corpusSample?: CorpusSample;
  /** The learning-rate sweep for this preset's model shape (`--sweep`): the measurement behind RECIPES. */
  sweep: PresetSweep;
  /** Studies in run order; a study left out is not run by this preset. */
  studies: {
    embedding?: { sizes: number[]; sharings: SharingName[]; objective: InterSentence };
    sharing?: { sizes: number[]; strategies: SharingName[]; objective: InterSentence };
    objective?: { objectives: InterSentence[]; embeddingSize: number; sharing: SharingName; tokensPerRun?: number };
  };
  seeds: number;
}

/**
 * THE RECIPES, one row per preset. Chosen by measurement, not by the paper's large-batch settings: see the
 * README's learning-rate sweep (`pnpm ablation --preset <p> --sweep`) and replace these with its winners.
 * - demo: the sweep at this shape (H=64, L=4, T=64, batch 32, V=2000): AdamW 2e-3 is the one cell that left the
 *   most-frequent-token baseline within 0.5M tokens (LAMB never did: its attention stayed uniform); E=16 leaves the
 *   baseline only after about 2M tokens, so every run gets 3M (4M took 18.8 minutes for the 4 runs, over budget).
 * - quick/full: the demo's optimizer and rate at their larger shape, not swept separately.
 */
export const RECIPES: Record<Preset['name'], Recipe> = {
  smoke: { optimizer: 'adamw', learningRate: 2e-3, warmupProportion: 0.25, tokensPerRun: 4 * 4 * 32, batchSize: 4 },
  demo: { optimizer: 'adamw', learningRate: 2e-3, warmupProportion: 0.1, tokensPerRun: 3_000_000, batchSize: 32 },
  quick: { optimizer: 'adamw', learningRate: 2e-3, warmupProportion: 0.1, tokensPerRun: 1_000_000, batchSize: 32 },
  full: { optimizer: 'adamw', learningRate: 2e-3, warmupProportion: 0.05, tokensPerRun: 4_000_000, batchSize: 32 },
};

/** Claims each preset is sized to answer (ids of `claims.ts`, matched by prefix). */
export const ANSWERS: Record<Preset['name'], string[]> = {
  smoke: ['table4-params'],
  demo: ['table4-params', 'table3-small-e', 'figure1-smoother', 'table4-cost'],
  quick: ['table4-params', 'table3-small-e', 'table4-cost', 'figure1-smoother'],
  full: ['table4-params', 'table3-small-e', 'table4-cost', 'figure1-smoother', 'table5'],
};

/** Presets sized to answer a claim id, in preset order. */
export function presetsAnswering(claimId: string): Preset['name'][] {
  return (Object.keys(ANSWERS) as Preset['name'][]).filter((p) => ANSWERS[p].some((prefix) => claimId.startsWith(prefix)));
}

/** Model shape of `quick` and `full` (H=128, L=8, T=128): they differ in budget, not in what they train. */
const SMALL_MODEL: PresetModel = { hiddenSize: 128, numHiddenLayers: 8, numAttentionHeads: 2, intermediateSize: 512, vocabSize: 2000, maxSeqLength: 128 };

/** The study grid of `quick` and `full`: embedding and sharing first (they finish first in an interrupted grid). */
const SMALL_STUDIES: Preset['studies'] = {
  embedding: { sizes: [16, 64, 128], sharings: ['not-shared', 'all-shared'], objective: 'sop' },
  sharing: { sizes: [64], strategies: ['all-shared', 'shared-attention', 'shared-ffn', 'not-shared'], objective: 'sop' },
  objective: { objectives: ['none', 'nsp', 'sop'], embeddingSize: 64, sharing: 'all-shared' },
};

const SPAM_FINETUNE = { tasks: ['spam'], epochs: 2, batchSize: 16, maxTrainExamples: 512, maxTestExamples: 400, randomInit: true };

export const PRESETS: Record<Preset['name'], Preset> = {
  smoke: {
    name: 'smoke',
    description: 'Whole pipeline in well under 3 minutes (CI): every table and chart, no meaningful training.',
    budget: [
      'Resolves: the exact parameter counts (paper tables and every run), and that the pipeline, tables and charts work.',
      'Cannot resolve: any trained effect; the models see a few hundred tokens, so every run is flagged "did not learn: recipe".',
    ],
    model: { hiddenSize: 32, numHiddenLayers: 3, numAttentionHeads: 2, intermediateSize: 64, vocabSize: 400, maxSeqLength: 32 },
    training: { ...RECIPES.smoke, maxPredictionsPerSeq: 5, dupeFactor: 1, curvePoints: 2, curvePairs: 16, finalPairs: 32, checkpoints: 2 },
    finetune: { tasks: ['spam'], epochs: 1, batchSize: 8, maxTrainExamples: 32, maxTestExamples: 48, maxSeqLength: 32, randomInit: true },
    corpus: 'mixture',
    corpusSample: { docsPerSource: 12, maxSentencesPerDoc: 40 },
    sweep: { variants: [{ embeddingSize: 8, sharing: 'not-shared' }], rates: { adamw: [1e-3, 3e-3], lamb: [1e-2] }, tokensPerCell: 512, seeds: 1 },
    studies: {
      embedding: { sizes: [8, 32], sharings: ['not-shared', 'all-shared'], objective: 'sop' },
      sharing: { sizes: [8], strategies: ['all-shared', 'shared-attention', 'shared-ffn', 'not-shared'], objective: 'sop' },
      objective: { objectives: ['none', 'nsp', 'sop'], embeddingSize: 8, sharing: 'all-shared' },
    },
    seeds: 1,
  },
  demo: {
    name: 'demo',
    description: 'About 12 minutes on 2 idle cores, most of it pretraining: E=16 vs E=64, not-shared and all-shared, 3M tokens each, two runs side by side.',
    budget: [
      'Resolves: exact parameter counts (paper Tables 1, 3, 4 and every run), the E effect on held-out MLM accuracy at 3M tokens, not-shared and all-shared (a small E learns later at this scale: the "loses little" bound can be contradicted here), and Figure 1 on trained models.',
      'May not resolve: the all-shared vs not-shared accuracy cost (it needs more tokens, seeds or layers at this scale; reported either way). Not run: the inter-sentence objective study (`--preset full --only objective`).',
      'Downstream accuracies come from a short fine-tune (512 spam e-mails, 2 epochs) next to a randomly initialised model of the same configuration at the same budget.',
    ],
    model: { hiddenSize: 64, numHiddenLayers: 4, numAttentionHeads: 2, intermediateSize: 256, vocabSize: 2000, maxSeqLength: 64 },
    training: { ...RECIPES.demo, maxPredictionsPerSeq: 10, dupeFactor: 1, curvePoints: 4, curvePairs: 64, finalPairs: 1024, checkpoints: 4 },
    finetune: { ...SPAM_FINETUNE, maxSeqLength: 64 },
    corpus: 'mixture',
    corpusSample: { docsPerSource: 200, maxSentencesPerDoc: 100 },
    sweep: { variants: [{ embeddingSize: 16, sharing: 'not-shared' }, { embeddingSize: 64, sharing: 'all-shared' }], rates: SWEEP_RATES, tokensPerCell: 500_000, seeds: 1 },
    studies: {
      embedding: { sizes: [16, 64], sharings: ['not-shared', 'all-shared'], objective: 'sop' },
      sharing: { sizes: [64], strategies: ['all-shared', 'not-shared'], objective: 'sop' },
    },
    seeds: 1,
  },
  quick: {
    name: 'quick',
    description: 'The reference study: embedding and sharing studies first, then the objective study, at H=128, L=8 (about 2 hours on 2 idle cores).',
    budget: [
      'Resolves: parameter counts, geometry, and MLM accuracy differences of about 2 points between E values and sharing strategies, for runs that leave the most-frequent-token baseline.',
      'Probably cannot resolve SOP vs NSP: at 1M tokens per run both inter-sentence accuracies stay near chance on length-matched pairs (`--preset full --only objective`).',
    ],
    model: SMALL_MODEL,
    training: { ...RECIPES.quick, maxPredictionsPerSeq: 20, dupeFactor: 1, curvePoints: 4, curvePairs: 128, finalPairs: 512, checkpoints: 4 },
    finetune: { ...SPAM_FINETUNE, maxSeqLength: 128 },
    corpus: 'mixture',
    corpusSample: { docsPerSource: 400, maxSentencesPerDoc: 120 },
    sweep: { variants: [{ embeddingSize: 16, sharing: 'not-shared' }, { embeddingSize: 64, sharing: 'all-shared' }], rates: SWEEP_RATES, tokensPerCell: 250_000, seeds: 1 },
    studies: SMALL_STUDIES,
    seeds: 1,
  },
  full: {
    name: 'full',
    description: 'Sized to try to separate SOP from NSP: 3 seeds, long runs with dense curves (many hours on 2 cores; resumable, run a study at a time with --only).',
    budget: [
      'Aims to resolve SOP vs NSP on length-matched pairs with 3 seeds (Student-t intervals across seeds) and the E / sharing effects on MLM accuracy.',
      'Whether this budget suffices is an empirical question; the report says so claim by claim, and the objective curves show the largest budget reached.',
    ],
    model: SMALL_MODEL,
    training: { ...RECIPES.full, maxPredictionsPerSeq: 20, dupeFactor: 2, curvePoints: 16, curvePairs: 512, finalPairs: 1024, checkpoints: 40 },
    finetune: { ...SPAM_FINETUNE, epochs: 3, maxTrainExamples: 2000, maxSeqLength: 128 },
    corpus: 'mixture',
    sweep: { variants: [{ embeddingSize: 64, sharing: 'all-shared' }], rates: SWEEP_RATES, tokensPerCell: 500_000, seeds: 2 },
    studies: { ...SMALL_STUDIES, objective: { ...SMALL_STUDIES.objective!, tokensPerRun: 8_000_000 } },
    seeds: 3,
  },
};

/** True when `name` is a preset name. */
export function isPresetName(name: string): name is Preset['name'] {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}

/** One pretraining run of the grid. */
export interface RunSpec {
  id: string;
  /** Directory name under `<out>/runs`. */
  dir: string;
  study: Study;
  label: string;
  embeddingSize: number;
  sharing: SharingName;
  objective: InterSentence;
  seed: number;
  /** Optimizer steps of this run. */
  steps: number;
  /** Runs with the same key train the same model and share one result (e.g. all-shared in two studies). */
  key: string;
}

/** Optimizer steps for a token budget. */
export function stepsFor(p: Preset, tokens: number): number {
  return Math.max(1, Math.ceil(tokens / (p.training.batchSize * p.model.maxSeqLength)));
}

/** Expands a preset into its runs (studies/labels filtered by `only`, `seeds` overriding the preset's). */
export function expandGrid(p: Preset, opts: { only?: string[]; seeds?: number } = {}): RunSpec[] {
  const seeds = opts.seeds ?? p.seeds;
  const out: RunSpec[] = [];
  const add = (study: Study, label: string, E: number, sharing: SharingName, objective: InterSentence, tokens: number) => {
    for (let seed = 0; seed < seeds; seed++) {
      const steps = stepsFor(p, tokens);
      // The budget is part of the key: the same configuration at another budget is another run.
      const key = `E${E}-${sharing}-${objective}${tokens === p.training.tokensPerRun ? '' : `-${steps}steps`}-s${seed}`;
      out.push({ id: `${study}/${label}/s${seed}`, dir: key, study, label, embeddingSize: E, sharing, objective, seed, steps, key });
    }
  };
  const { embedding, sharing, objective } = p.studies;
  // E outer, sharing inner: an interrupted grid has complete not-shared / all-shared pairs.
  if (embedding) for (const E of embedding.sizes) for (const s of embedding.sharings) add('embedding', `E=${E} ${s}`, E, s, embedding.objective, p.training.tokensPerRun);
  if (sharing) for (const E of sharing.sizes) for (const s of sharing.strategies) add('sharing', `E=${E} ${s}`, E, s, sharing.objective, p.training.tokensPerRun);
  if (objective) {
    for (const o of objective.objectives) add('objective', o, objective.embeddingSize, objective.sharing, o, objective.tokensPerRun ?? p.training.tokensPerRun);
  }
  if (!opts.only || opts.only.length === 0) return out;
  return out.filter((s) => opts.only!.some((o) => o === s.study || o === s.label || o === `${s.study}/${s.label}` || o === s.key || o === s.key.replace(/-s\d+$/, '')));
}

/** Names `--only` accepts for a preset: studies, labels, `study/label` and run keys (with or without the seed). */
export function onlyChoices(p: Preset): string[] {
  const specs = expandGrid(p);
  return [...new Set(specs.flatMap((s) => [s.study, s.label, `${s.study}/${s.label}`, s.key.replace(/-s\d+$/, '')]))];
}
