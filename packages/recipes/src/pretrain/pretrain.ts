import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type AlbertConfig, type EmbeddingModule, type SharingStrategy, configToHf, withOverrides } from '@albert-ts/core';
import { loadConfig } from '@albert-ts/core/node';
import { SENTENCE_OBJECTIVES, type SentenceObjective } from '@albert-ts/data';
import { tokenizerFiles } from '@albert-ts/tokenizer';
import { parseSharing } from '@albert-ts/sharing';
import { loadAlbertTokenizer, loadTokenizerDir } from '@albert-ts/tokenizer/node';
import {
  type MetricsRecord, type OptimizerName, type StepHook, type StepInfo, TrainerError, checkInteger, checkPositive,
  createOptimizer, hfFormat, train,
} from '@albert-ts/trainer';
import { diskCheckpoints, latestCheckpoint, metricsFile, stopOnSignals } from '@albert-ts/trainer/node';
import { withOutLock } from '../out-lock.js';
import { type ProgressOption, progressHook } from '../progress.js';
import { mlmMajorityBaseline } from './baseline.js';
import { mlmBaselineWarning } from './baseline-warning.js';
import { defaultPretrainRecipe } from './default-recipe.js';
import { type PretrainingInputs, evalSetsPrefix, pretrainingBatches, pretrainingInputs, tokenizeCorpus } from './data.js';
import { type EvalPlan, PLAN_AFTER_STEPS, evalSeconds, planEvaluations } from './eval-plan.js';
import { type EvalMetrics, type EvalSets, evaluatePretraining, formatEvalLine } from './evaluate.js';
import { pretrainingModel } from './model.js';

/** Options of {@link pretrain} (the CLI's `albert pretrain` flags). */
export interface PretrainOptions {
  /** Preset name (`albert-tiny`, `albert-base`, ...), path to an HF config.json, or a config object. */
  config: string | AlbertConfig;
  /** Overrides the config's embedding size E. */
  embeddingSize?: number;
  /** Cross-layer sharing (a name of `@albert-ts/sharing`'s `parseSharing`, or a strategy); default: the config's. */
  sharing?: string | SharingStrategy;
  /** Embedding module (default `factorized()`). */
  embeddings?: EmbeddingModule;
  /** Inter-sentence objective; MLM is always trained. */
  objective: SentenceObjective;
  /** `sotu`, `moby-dick`, `spam-assassin`, `mixture`, or a path in the one-sentence-per-line format. */
  corpus: string;
  /**
   * The tokenizer: an HF tokenizer directory (`spiece.model` with its `tokenizer_config.json`) or a SentencePiece
   * `.model` file; without it a unigram vocabulary of the config's `vocabSize` is trained.
   */
  vocab?: string;
  /** Optimizer steps. */
  steps: number;
  batchSize: number;
  maxSeqLength: number;
  /** Default: `@albert-ts/data`'s (20). */
  maxPredictionsPerSeq?: number;
  /** Default: `@albert-ts/data`'s (0.15). */
  maskedLmProb?: number;
  /** Passes over the corpus when creating instances (default 1). */
  dupeFactor?: number;
  /** Peak learning rate (default {@link defaultPretrainRecipe}'s: 2e-3 for small models, else the paper's 0.00176). */
  lr?: number;
  /** Warmup steps (default 10% of `steps`). */
  warmup?: number;
  /**
   * Default {@link defaultPretrainRecipe}'s: `adamw` (torch's bias-corrected AdamW) for small models, else `lamb`
   * (google-research's); `adamw-uncorrected` is google-research's AdamW.
   */
  optimizer?: OptimizerName;
  /** Default: the optimizer's (0.01). */
  weightDecay?: number;
  /** Global-norm clip (default 1.0). */
  clipNorm?: number;
  /** Micro-batches of `batchSize` per optimizer step (default 1). */
  gradientAccumulation?: number;
  /**
   * Evaluate every N steps, and at the end; 0 = only at the end. Default: planned from the measured cost of a
   * training step and of an evaluation (timed after the first steps), so that evaluation takes at most
   * `evalShare` of the projected training time: at most 10 evaluations, fewer when they cost more, and when even
   * one costs more, one at the end on fewer held-out pairs (at least 64 per set). The plan is logged as an
   * `eval-plan` event and kept by a resumed run.
   */
  evalEvery?: number;
  /** Share of the training time the default evaluation plan may take (default 0.1). */
  evalShare?: number;
  /**
   * Warn once (stderr and a `mlm-at-baseline` event) when an evaluation after this fraction of the steps finds
   * held-out MLM accuracy still at the most-frequent-token rate (default 0.25; 1 warns only at the end).
   */
  baselineWarningAfter?: number;
  /** Set false to skip that warning (e.g. when a report flags such runs itself); default true. */
  baselineWarning?: boolean;
  /** Held-out instances per evaluation set (NSP, SOP), default 256. */
  evalExamples?: number;
  /** Save a checkpoint every N steps (default `evalEvery`, or `steps/10` with the planned default); the final step is always saved. */
  saveEvery?: number;
  /** Complete checkpoints kept (default 2). */
  keepCheckpoints?: number;
  /** Write a `train` metrics record every N steps (default 1). */
  logEvery?: number;
  /** Seed of initialisation, data order, masking and dropout (default 12345). */
  seed?: number;
  /**
   * Output directory: `checkpoints/`, `latest`, `metrics.jsonl`. It is locked while the run lasts (`.lock`, see
   * `acquireRunLock` of `@albert-ts/trainer/node`): a second run on it is refused with a `RunLockedError`.
   */
  out: string;
  /** Continue from the latest checkpoint in `out` (starts fresh if there is none). */
  resume?: boolean;
  /** Progress stream (default stderr); `false` for none. */
  progress?: ProgressOption;
  /** Save and stop on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
  /** Stop (after saving a checkpoint) once this invocation has run this many steps: time-boxing and tests. */
  stopAfter?: number;
  /** Called after every optimizer step (after its metrics are recorded); return 'stop' to end the run. */
  onStep?: (info: StepInfo) => void | 'stop';
  /**
   * Data prepared earlier ({@link pretrainingInputs} of a {@link tokenizeCorpus} result), so that many runs share
   * one tokenization; `corpus` and `vocab` then only label the run. Its instance settings must equal this run's
   * (objective, seed, maxSeqLength, maxPredictionsPerSeq, maskedLmProb, dupeFactor).
   */
  inputs?: PretrainingInputs;
  /** Held-out sets to evaluate on instead of the ones built from the corpus (e.g. one set shared by a grid). */
  evalSets?: EvalSets;
}

/** Outcome of {@link pretrain}. */
export interface PretrainResult {
  /** `completed`: reached `steps`; `interrupted`: a signal; `stopped`: `stopAfter` or `onStep` said so. */
  status: 'completed' | 'interrupted' | 'stopped';
  /** Optimizer steps done in total. */
  step: number;
  /** The newest checkpoint directory. */
  checkpoint: string;
  /** Step at which this invocation started (0, or the resumed checkpoint's step). */
  resumedFrom: number;
  /** Training curve of the whole run (resumed part included): one point per logged step. */
  train: { step: number; loss: number; lr: number; gradNorm: number; [k: string]: number }[];
  /** Evaluations of the whole run. */
  eval: (EvalMetrics & { step: number })[];
  /** Unique parameter count (backbone + heads, tied once). */
  parameterCount: number;
  /** Mean training throughput of this invocation (tokens = B·T per micro-batch). */
  tokensPerSecond: number;
  /** The backend that ran it (chosen by the application). */
  backend: string;
  /** Every metrics record (as in metrics.jsonl). */
  records: MetricsRecord[];
  /** Wall seconds of this invocation: data and model set-up, training steps (checkpoints included), evaluations. */
  seconds: { setup: number; train: number; eval: number };
}

function validate(o: PretrainOptions): void {
  if (!SENTENCE_OBJECTIVES.includes(o.objective)) {
    throw new TrainerError(`objective: '${String(o.objective)}' is not one of ${SENTENCE_OBJECTIVES.join(', ')}`, { field: 'objective', value: o.objective });
  }
  checkInteger('steps', o.steps, 1);
  checkInteger('batchSize', o.batchSize, 1);
  checkInteger('maxSeqLength', o.maxSeqLength, 8);
  checkInteger('embeddingSize', o.embeddingSize, 1);
  checkInteger('evalEvery', o.evalEvery, 0);
  checkInteger('saveEvery', o.saveEvery, 1);
  checkInteger('evalExamples', o.evalExamples, 1);
  checkInteger('keepCheckpoints', o.keepCheckpoints, 1);
  checkInteger('stopAfter', o.stopAfter, 1);
  checkInteger('seed', o.seed, 0);
  checkPositive('lr', o.lr);
  if (o.evalShare !== undefined && !(o.evalShare > 0 && o.evalShare <= 1)) {
    throw new TrainerError(`evalShare: ${o.evalShare} must be in (0, 1]`, { field: 'evalShare', value: o.evalShare });
  }
  if (o.baselineWarningAfter !== undefined && !(o.baselineWarningAfter >= 0 && o.baselineWarningAfter <= 1)) {
    throw new TrainerError(`baselineWarningAfter: ${o.baselineWarningAfter} must be in [0, 1]`, { field: 'baselineWarningAfter', value: o.baselineWarningAfter });
  }
  if (typeof o.out !== 'string' || o.out === '') throw new TrainerError('out: an output directory is required', { field: 'out', value: o.out });
}

/** Refuses prepared inputs whose instance settings differ from the run's (they would train something else). */
function checkInputs(inputs: PretrainingInputs, o: PretrainOptions, seed: number): void {
  const want: Record<string, unknown> = {
    objective: o.objective, seed, maxSeqLength: o.maxSeqLength, maxPredictionsPerSeq: o.maxPredictionsPerSeq,
    maskedLmProb: o.maskedLmProb, dupeFactor: o.dupeFactor,
  };
  for (const [k, v] of Object.entries(want)) {
    const have = inputs.instances[k as keyof typeof inputs.instances];
    if (v !== undefined && v !== have) {
      throw new TrainerError(`inputs: were prepared with ${k} ${String(have)} but this run has ${String(v)}`, { field: 'inputs', value: k });
    }
  }
}

/**
 * Pretrains ALBERT with MLM plus an optional sentence objective: builds the data ({@link pretrainingData}) and the
 * model from a config, and calls `train` with LAMB (or AdamW), warmup/decay, clipping, accumulation, held-out
 * MLM/NSP/SOP evaluation, JSON Lines metrics and crash-safe HF checkpoints in `out` (`resume: true` continues
 * exactly). The backend is the caller's (`useBackend` of `@albert-ts/backends`).
 */
export async function pretrain(options: PretrainOptions): Promise<PretrainResult> {
  validate(options);
  const started = Date.now();
  const out = path.resolve(options.out);
  const progress = progressHook(options.progress);
  return withOutLock(out, 'pretrain', progress, () => pretrainLocked(options, out, progress, started));
}

async function pretrainLocked(
  options: PretrainOptions, out: string, progress: ReturnType<typeof progressHook>, started: number,
): Promise<PretrainResult> {
  const seed = options.seed ?? 12345;
  const steps = options.steps;
  const baseConfig = typeof options.config === 'string' ? loadConfig(options.config) : options.config;
  const inputs = options.inputs ?? await (async () => {
    // A resumed run keeps its checkpoint's tokenizer (and so its vocabulary).
    const resumeDir = options.resume ? latestCheckpoint(out) : undefined;
    const given = resumeDir !== undefined ? loadTokenizerDir(resumeDir) : options.vocab !== undefined ? loadAlbertTokenizer(options.vocab) : undefined;
    const corpus = await tokenizeCorpus({
      corpus: options.corpus, tokenizer: given, vocabSize: baseConfig.vocabSize,
      onNote: (line) => progress.reporter.message(`no vocab given: ${line}`),
    });
    return pretrainingInputs(corpus, {
      objective: options.objective, seed, maxSeqLength: options.maxSeqLength, maxPredictionsPerSeq: options.maxPredictionsPerSeq,
      maskedLmProb: options.maskedLmProb, dupeFactor: options.dupeFactor, evalExamples: options.evalExamples,
    });
  })();
  checkInputs(inputs, options, seed);
  const tokenizer = inputs.corpus.tokenizer;
  const config = withOverrides(baseConfig, {
    vocabSize: tokenizer.vocabSize, ...(options.embeddingSize !== undefined ? { embeddingSize: options.embeddingSize } : {}),
  });
  if (options.maxSeqLength > config.maxPositionEmbeddings) {
    throw new TrainerError(`maxSeqLength: ${options.maxSeqLength} exceeds max_position_embeddings=${config.maxPositionEmbeddings}`,
      { field: 'maxSeqLength', value: options.maxSeqLength });
  }
  const planned = options.evalEvery === undefined;
  const evalEvery = options.evalEvery ?? 1; // planned: a placeholder until the plan is made (below)
  const allSets = options.evalSets ?? inputs.evalSets;
  if (allSets === undefined && (planned || evalEvery > 0)) {
    throw new TrainerError(`corpus: '${options.corpus}' has fewer than 2 held-out documents, so evaluation is impossible; set evalEvery to 0`,
      { field: 'corpus', value: options.corpus });
  }
  const sharing = typeof options.sharing === 'string' ? parseSharing(options.sharing) : options.sharing;
  const { maxPredictionsPerSeq, maskedLmProb, dupeFactor } = inputs.instances;
  const recipe = defaultPretrainRecipe(config);
  const learningRate = options.lr ?? recipe.learningRate;
  const optimizer = createOptimizer(options.optimizer ?? recipe.optimizer, { weightDecayRate: options.weightDecay });
  const { model, trainingHeads } = pretrainingModel(config, options.objective, { seed, sharing, embeddings: options.embeddings });
  const signals = options.handleSignals === false ? undefined : stopOnSignals();

  let evalTime = 0;
  let evalSets = allSets;
  let plan: EvalPlan | undefined = planned ? undefined : { every: evalEvery, pairs: allSets?.sop.length ?? 0 };
  const runEval = (log: (r: MetricsRecord) => void, step: number): void => {
    if (evalSets === undefined) return;
    const t0 = Date.now();
    progress.reporter.message(`evaluating at step ${step} (${evalSets.sop.length + evalSets.nsp.length} sequences)...`);
    const m = evaluatePretraining(model, options.objective, evalSets, { batchSize: options.batchSize, maxSeqLength: options.maxSeqLength, maxPredictionsPerSeq });
    log({ type: 'eval', step, ...m });
    progress.reporter.message(`eval step ${step}: ${formatEvalLine(m)}`);
    evalTime += (Date.now() - t0) / 1000;
  };
  const adopt = (p: EvalPlan): void => {
    plan = p;
    if (allSets !== undefined && p.pairs < allSets.sop.length && options.evalSets === undefined) evalSets = evalSetsPrefix(allSets, p.pairs, inputs.corpus);
  };
  // The planned default: time the first steps of this invocation and one batch of each held-out set, then plan.
  const stepSeconds: number[] = [];
  const makePlan = (log: (r: MetricsRecord) => void, step: number): void => {
    const sets = allSets!;
    const probe = { sop: sets.sop.slice(0, options.batchSize), nsp: sets.nsp.slice(0, options.batchSize) };
    const t0 = Date.now();
    evaluatePretraining(model, options.objective, probe, { batchSize: options.batchSize, maxSeqLength: options.maxSeqLength, maxPredictionsPerSeq });
    const probeSeconds = (Date.now() - t0) / 1000;
    evalTime += probeSeconds;
    const timed = stepSeconds.length > 1 ? stepSeconds.slice(1) : stepSeconds;
    const costs = {
      steps, stepSeconds: timed.reduce((a, b) => a + b, 0) / timed.length,
      sequenceSeconds: probeSeconds / Math.max(1, probe.sop.length + probe.nsp.length), pairs: sets.sop.length, share: options.evalShare,
    };
    const p = planEvaluations(costs);
    const oneEval = evalSeconds(costs, p.pairs);
    const evals = p.every > 0 ? Math.ceil(steps / p.every) : 1;
    log({ type: 'event', step, event: 'eval-plan', every: p.every, pairs: p.pairs, step_seconds: costs.stepSeconds, eval_seconds: oneEval });
    progress.reporter.message(`evaluation plan: ${p.every > 0 ? `every ${p.every} steps and at the end` : 'at the end only'}, on ` +
      `${p.pairs < sets.sop.length ? `the first ${p.pairs} of ${sets.sop.length}` : p.pairs} pairs per set (one evaluation ~${oneEval.toFixed(1)} s, ` +
      `a step ~${costs.stepSeconds.toFixed(2)} s: ~${(100 * evals * oneEval / (steps * costs.stepSeconds)).toFixed(0)}% of the training time; ` +
      'set evalEvery to choose)');
    adopt(p);
  };
  const hooks: StepHook<typeof model>[] = [
    progress.hook,
    (info, run) => {
      if (plan === undefined) {
        stepSeconds.push(info.seconds);
        if (info.step >= Math.min(steps, run.resumedFrom + PLAN_AFTER_STEPS)) makePlan(run.log, info.step);
      }
      if (plan !== undefined && ((plan.every > 0 && info.step % plan.every === 0) || info.step === steps)) runEval(run.log, info.step);
    },
  ];
  if (allSets !== undefined && options.baselineWarning !== false) {
    hooks.push(mlmBaselineWarning({
      baseline: mlmMajorityBaseline(allSets.sop), totalSteps: steps, peakLearningRate: learningRate, after: options.baselineWarningAfter ?? 0.25,
      warn: (line) => progress.reporter.message(line),
    }));
  }
  if (options.stopAfter !== undefined) hooks.push((info, run) => (info.step - run.resumedFrom >= options.stopAfter! ? 'stop' : undefined));
  if (options.onStep !== undefined) hooks.push((info) => options.onStep!(info));

  const setupSeconds = (Date.now() - started) / 1000;
  try {
    const r = await train(model, pretrainingBatches(inputs, options.batchSize), {
      optimizer, seed, accumulate: options.gradientAccumulation, clipNorm: options.clipNorm,
      schedule: { learningRate, totalSteps: steps, warmupSteps: options.warmup ?? Math.floor(steps / 10) },
      run: {
        config: configToHf(config), sharing: sharing?.name ?? null, objective: options.objective, corpus: options.corpus,
        batchSize: options.batchSize, maxSeqLength: options.maxSeqLength, maxPredictionsPerSeq, maskedLmProb, dupeFactor,
      },
      tokensPerBatch: options.batchSize * options.maxSeqLength, logEvery: options.logEvery,
      metrics: metricsFile(path.join(out, 'metrics.jsonl')),
      checkpoint: diskCheckpoints(out, {
        every: options.saveEvery ?? (planned ? Math.max(1, Math.floor(steps / 10)) : evalEvery > 0 ? evalEvery : steps),
        keep: options.keepCheckpoints, resume: options.resume,
        format: hfFormat({
          config: { albert_ts_objective: options.objective },
          tokenizerFiles: tokenizerFiles(tokenizer, { modelMaxLength: config.maxPositionEmbeddings }),
        }),
      }),
      signal: signals?.signal,
      onStart: (run) => {
        if (run.step > 0) progress.reporter.message(`resumed from ${latestCheckpoint(out) ?? out} at step ${run.step}`);
        else if (!planned && evalEvery > 0) runEval(run.log, 0);
        const recorded = planned ? run.records.find((r) => r.type === 'event' && r.event === 'eval-plan') : undefined;
        if (recorded !== undefined) adopt({ every: recorded.every as number, pairs: recorded.pairs as number }); // a resumed run keeps its plan
      },
      onStep: hooks,
      computeOptions: { heads: trainingHeads }, // evaluation uses both heads, training those of the objective
    });
    if (r.status === 'interrupted') progress.reporter.message(`received ${signals?.received}: saved a checkpoint at step ${r.step}`);
    return {
      status: r.status, step: r.step, checkpoint: r.checkpoint ?? '', resumedFrom: r.resumedFrom,
      train: r.records.filter((x) => x.type === 'train').map((x) => ({ ...(x as unknown as PretrainResult['train'][number]), gradNorm: x.grad_norm as number })),
      eval: r.records.filter((x) => x.type === 'eval') as unknown as PretrainResult['eval'],
      parameterCount: model.countParameters(), tokensPerSecond: r.tokensPerSecond, backend: tf.getBackend(),
      records: [...r.records],
      seconds: { setup: setupSeconds, train: (Date.now() - started) / 1000 - setupSeconds - evalTime, eval: evalTime },
    };
  } finally {
    progress.reporter.close();
    signals?.dispose();
    optimizer.dispose();
    model.dispose();
  }
}
