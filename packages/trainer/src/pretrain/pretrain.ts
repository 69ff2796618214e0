import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type AlbertConfig, type SharingStrategy, configToHf, loadHfTensors } from '@albert-ts/core';
import { type SentenceObjective, SENTENCE_OBJECTIVES, disposeBatch, tokenizeDocuments, vocabInfo } from '@albert-ts/data';
import { parseSharing } from '@albert-ts/sharing';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { selectBackend } from '../backend.js';
import { checkpointName, latestCheckpoint, listCheckpoints, writeCheckpointDir } from '../checkpoint/layout.js';
import { modelCheckpointFiles, readModelFiles } from '../checkpoint/model-files.js';
import {
  TRAINER_STATE_VERSION, type TrainerState, checkResumeCompatible, readTrainerState, trainerStateFiles,
} from '../checkpoint/trainer-state.js';
import { TrainerError } from '../errors.js';
import { namedGradients } from '../loop/gradients.js';
import { SignalWatch } from '../loop/signals.js';
import { MetricsLog, type MetricsRecord } from '../metrics/jsonl.js';
import { type ProgressReporter, createProgressReporter } from '../metrics/progress.js';
import { GradientAccumulator } from '../optim/accumulate.js';
import { clipByGlobalNorm } from '../optim/clip.js';
import { createOptimizer } from '../optim/create.js';
import { learningRateAt, validateSchedule } from '../optim/schedule.js';
import { SEED_KEYS, stepSeed } from '../seeds.js';
import { loadCorpus } from '../setup/corpus.js';
import { resolveModelConfig } from '../setup/model-config.js';
import { type LoadedTokenizer, loadTokenizer, pieceTokenizer, trainTokenizer } from '../setup/tokenizer.js';
import { type EvalMetrics, evaluatePretraining } from './evaluate.js';
import { buildPretrainingSetup, forward } from './model.js';
import { type InstanceSettings, TrainingStream, buildInstances } from './pipeline.js';

/** Options of {@link pretrain} (the CLI's `albert pretrain` flags). */
export interface PretrainOptions {
  /** Preset name (`albert-tiny`, `albert-base`, ...), path to an HF config.json, or a config object. */
  config: string | AlbertConfig;
  /** Overrides the config's embedding size E. */
  embeddingSize?: number;
  /** Cross-layer sharing (`all`, `attention`, `ffn`, `none`, `groups:G`, or a strategy); default: the config's. */
  sharing?: string | SharingStrategy;
  /** Inter-sentence objective; MLM is always trained. */
  objective: SentenceObjective;
  /** `sotu`, `moby-dick`, `spam-assassin`, `mixture`, or a path in the one-sentence-per-line format. */
  corpus: string;
  /** SentencePiece `.model` file; without it a unigram vocabulary of the config's `vocabSize` is trained. */
  vocab?: string;
  /** Optimizer steps. */
  steps: number;
  batchSize: number;
  maxSeqLength: number;
  /** Default `min(20, max(1, round(0.15·T)))`. */
  maxPredictionsPerSeq?: number;
  /** Default 0.15. */
  maskedLmProb?: number;
  /** Passes over the corpus when creating instances (default 1). */
  dupeFactor?: number;
  /** Peak learning rate (default 0.00176, the paper's LAMB rate). */
  lr?: number;
  /** Warmup steps (default 10% of `steps`). */
  warmup?: number;
  /** Default `lamb`. */
  optimizer?: 'lamb' | 'adamw';
  /** Default 0.01. */
  weightDecay?: number;
  /** Global-norm clip (default 1.0). */
  clipNorm?: number;
  /** Micro-batches of `batchSize` per optimizer step (default 1). */
  gradientAccumulation?: number;
  /** Evaluate every N steps (default `steps/10`); 0 = only at the end. */
  evalEvery?: number;
  /** Held-out instances per evaluation set (NSP, SOP), default 256. */
  evalExamples?: number;
  /** Save a checkpoint every N steps (default = evalEvery or `steps`); the final step is always saved. */
  saveEvery?: number;
  /** Complete checkpoints kept (default 2). */
  keepCheckpoints?: number;
  /** Write a `train` metrics record every N steps (default 1). */
  logEvery?: number;
  /** Seed of initialisation, data order, masking and dropout (default 12345). */
  seed?: number;
  /** `wasm`, `cpu` or `node-gpu`; default: the current backend. */
  backend?: string;
  /** Output directory: `checkpoints/`, `latest`, `metrics.jsonl`. */
  out: string;
  /** Continue from the latest checkpoint in `out` (starts fresh if there is none). */
  resume?: boolean;
  /** Progress stream (default stderr); `false` for none. */
  progress?: NodeJS.WritableStream | { write(s: string): unknown; isTTY?: boolean } | false;
  /** Save and stop on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
  /** Stop (after saving a checkpoint) once this invocation has run this many steps: time-boxing and tests. */
  stopAfter?: number;
  /** Called after every optimizer step (after its metrics are recorded), e.g. to watch memory. */
  onStep?: (info: { step: number; loss: number; lr: number }) => void;
}

/** Outcome of {@link pretrain}. */
export interface PretrainResult {
  /** `completed`: reached `steps`; `interrupted`: a signal; `stopped`: `stopAfter` reached. */
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
  /** Backend used. */
  backend: string;
  /** Every metrics record (as in metrics.jsonl). */
  records: MetricsRecord[];
}

const int = (v: number | undefined, name: string, min: number): void => {
  if (v !== undefined && !(Number.isInteger(v) && v >= min)) {
    throw new TrainerError(`${name}: ${v} must be an integer >= ${min}`);
  }
};

function validate(o: PretrainOptions): void {
  if (!SENTENCE_OBJECTIVES.includes(o.objective)) {
    throw new TrainerError(`objective: '${String(o.objective)}' is not one of ${SENTENCE_OBJECTIVES.join(', ')}`);
  }
  int(o.steps, 'steps', 1);
  int(o.batchSize, 'batch-size', 1);
  int(o.maxSeqLength, 'max-seq-length', 8);
  int(o.embeddingSize, 'embedding-size', 1);
  int(o.gradientAccumulation, 'gradient-accumulation', 1);
  int(o.evalEvery, 'eval-every', 0);
  int(o.saveEvery, 'save-every', 1);
  int(o.evalExamples, 'eval-examples', 1);
  int(o.logEvery, 'log-every', 1);
  int(o.keepCheckpoints, 'keep-checkpoints', 1);
  int(o.stopAfter, 'stop-after', 1);
  int(o.seed, 'seed', 0);
  if (o.clipNorm !== undefined && !(o.clipNorm > 0)) throw new TrainerError(`clip-norm: ${o.clipNorm} must be > 0`);
  if (typeof o.out !== 'string' || o.out === '') throw new TrainerError('out: an output directory is required');
}

/**
 * Pretrains ALBERT with MLM plus an optional sentence objective, LAMB (or AdamW), linear warmup/decay,
 * global-norm clipping and gradient accumulation; evaluates MLM/NSP/SOP on held-out documents; writes metrics as
 * JSON Lines and crash-safe HF-compatible checkpoints; resumes exactly from `out` with `resume: true`.
 *
 * ```ts
 * const r = await pretrain({ config: 'albert-tiny', objective: 'sop', corpus: 'sotu', vocab: 'spiece.model',
 *   steps: 300, batchSize: 16, maxSeqLength: 64, backend: 'wasm', out: 'runs/tiny-sop' });
 * console.log(r.eval.at(-1)?.mlm_loss);
 * ```
 */
export async function pretrain(options: PretrainOptions): Promise<PretrainResult> {
  validate(options);
  const backend = await selectBackend(options.backend);
  const seed = options.seed ?? 12345;
  const steps = options.steps;
  const accum = options.gradientAccumulation ?? 1;
  const out = path.resolve(options.out);
  const maxPredictions = options.maxPredictionsPerSeq ?? Math.min(20, Math.max(1, Math.round(0.15 * options.maxSeqLength)));
  const settings: InstanceSettings = {
    maxSeqLength: options.maxSeqLength, maxPredictionsPerSeq: maxPredictions,
    maskedLmProb: options.maskedLmProb ?? 0.15, dupeFactor: options.dupeFactor ?? 1,
  };
  const schedule = {
    learningRate: options.lr ?? 0.00176, totalSteps: steps, warmupSteps: options.warmup ?? Math.floor(steps / 10),
  };
  validateSchedule(schedule);
  const evalEvery = options.evalEvery ?? Math.max(1, Math.floor(steps / 10));
  const saveEvery = options.saveEvery ?? (evalEvery > 0 ? evalEvery : steps);
  const logEvery = options.logEvery ?? 1;
  const clipNorm = options.clipNorm ?? 1.0;
  const optimizerName = options.optimizer ?? 'lamb';

  // ---- resume or fresh start
  fs.mkdirSync(out, { recursive: true });
  const resumeDir = options.resume ? latestCheckpoint(out) : undefined;
  if (!options.resume && listCheckpoints(out).length > 0) {
    throw new TrainerError(`out: ${out} already has checkpoints; pass --resume to continue or choose another --out`);
  }
  const saved = resumeDir !== undefined ? readTrainerState(resumeDir) : undefined;
  const savedModel = resumeDir !== undefined ? readModelFiles(resumeDir) : undefined;

  // ---- data and tokenizer
  const corpus = await loadCorpus(options.corpus);
  let tok: LoadedTokenizer;
  if (savedModel !== undefined) tok = { tokenizer: AlbertTokenizer.fromBytes(savedModel.spieceModel), modelBytes: savedModel.spieceModel };
  else if (options.vocab !== undefined) tok = loadTokenizer(options.vocab);
  else {
    const vocabSize = resolveModelConfig(options.config).vocabSize;
    if (options.progress !== false) (options.progress ?? process.stderr).write(`no --vocab: training a ${vocabSize}-piece unigram vocabulary on the corpus\n`);
    tok = trainTokenizer(corpus.train, vocabSize);
  }
  const config = resolveModelConfig(options.config, {
    vocabSize: tok.tokenizer.vocabSize,
    ...(options.embeddingSize !== undefined ? { embeddingSize: options.embeddingSize } : {}),
  });
  if (options.maxSeqLength > config.maxPositionEmbeddings) {
    throw new TrainerError(`max-seq-length: ${options.maxSeqLength} exceeds max_position_embeddings=${config.maxPositionEmbeddings}`);
  }
  const sharing = typeof options.sharing === 'string' ? parseSharing(options.sharing) : options.sharing;
  const pieces = pieceTokenizer(tok.tokenizer);
  const vocab = vocabInfo(pieces);
  const trainDocs = await tokenizeDocuments(corpus.train, pieces);
  const heldDocs = await tokenizeDocuments(corpus.heldOut, pieces);
  const stream = new TrainingStream(buildInstances(trainDocs, vocab, options.objective, seed, settings), options.batchSize, seed, settings);
  const evalExamples = options.evalExamples ?? 256;
  const evalSeed = stepSeed(seed, SEED_KEYS.evalData);
  const evalSets = heldDocs.length >= 2
    ? { sop: buildInstances(heldDocs, vocab, 'sop', evalSeed, settings, evalExamples), nsp: buildInstances(heldDocs, vocab, 'nsp', evalSeed, settings, evalExamples) }
    : undefined;
  if (evalSets === undefined && evalEvery > 0) {
    throw new TrainerError(`corpus: '${options.corpus}' has fewer than 2 held-out documents, so evaluation is impossible; pass --eval-every 0`);
  }

  // ---- model and optimizer
  const runConfig: Record<string, unknown> = {
    config: configToHf(config), sharing: sharing?.name ?? null, objective: options.objective, corpus: options.corpus,
    steps, batchSize: options.batchSize, maxSeqLength: options.maxSeqLength, maxPredictionsPerSeq: maxPredictions,
    maskedLmProb: settings.maskedLmProb, dupeFactor: settings.dupeFactor, lr: schedule.learningRate,
    warmup: schedule.warmupSteps, optimizer: optimizerName, weightDecay: options.weightDecay ?? 0.01, clipNorm,
    gradientAccumulation: accum, seed,
  };
  if (saved !== undefined) checkResumeCompatible(saved.state.run, runConfig);
  const setup = buildPretrainingSetup(config, options.objective, seed, sharing);
  const optimizer = createOptimizer(optimizerName, { weightDecayRate: options.weightDecay ?? 0.01 });
  const params = setup.model.namedParameters();
  const log = new MetricsLog(path.join(out, 'metrics.jsonl'));
  const progress: ProgressReporter = createProgressReporter(
    options.progress === false ? { write: () => true } : (options.progress ?? process.stderr), 10);
  const signals = options.handleSignals === false ? undefined : new SignalWatch();
  const accumulator = new GradientAccumulator();

  let step = 0;
  let tokensSeen = 0;
  let elapsedBefore = 0;
  try {
    if (saved !== undefined && savedModel !== undefined) {
      loadHfTensors(setup.model, savedModel.tensors, Number(savedModel.config.num_hidden_groups));
      optimizer.importSlots(saved.slots, new Map([...params].map(([n, v]) => [n, v.shape])));
      stream.restore(saved.state.dataCursor);
      step = saved.state.step;
      tokensSeen = saved.state.tokensSeen;
      elapsedBefore = saved.state.elapsedSeconds;
      log.reset(saved.state.metrics);
      progress.message(`resumed from ${resumeDir} at step ${step}`);
    } else {
      log.reset([]);
      log.write({ type: 'event', step: 0, event: 'start', backend, parameters: setup.model.countParameters(), run: runConfig });
    }
    const resumedFrom = step;
    let lastCheckpoint = resumeDir ?? '';
    const started = Date.now();
    let tokensThisRun = 0;

    const save = (): string => {
      const state: TrainerState = {
        formatVersion: TRAINER_STATE_VERSION, kind: 'pretrain', step, optimizer: optimizerName, run: runConfig,
        rng: { seed, dropout: 'stepSeed(seed, 1, step, microBatch)', data: stream.cursor() },
        dataCursor: stream.cursor(), tokensSeen,
        elapsedSeconds: elapsedBefore + (Date.now() - started) / 1000, metrics: log.records,
      };
      const files = [
        ...modelCheckpointFiles(setup.model, tok.modelBytes, { albert_ts_objective: options.objective }),
        ...trainerStateFiles(state, optimizer.exportSlots()),
      ];
      lastCheckpoint = writeCheckpointDir(out, step, files, options.keepCheckpoints ?? 2);
      return lastCheckpoint;
    };
    const runEval = (): void => {
      if (evalSets === undefined) return;
      const m = evaluatePretraining(setup, evalSets, options.batchSize, options.maxSeqLength, maxPredictions);
      log.write({ type: 'eval', step, ...m });
      progress.message(`eval step ${step}: mlm_loss ${m.mlm_loss.toFixed(4)} mlm_acc ${m.mlm_accuracy.toFixed(4)} ` +
        `nsp_acc ${m.nsp_accuracy.toFixed(4)} sop_acc ${m.sop_accuracy.toFixed(4)}`);
    };

    if (step === 0 && evalEvery > 0) runEval();
    let status: PretrainResult['status'] = 'completed';
    let stepTimeEma = 0;
    while (step < steps) {
      // Let the event loop run once per step so SIGINT/SIGTERM handlers (and stream writes) get their turn.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signals?.signal !== undefined) { status = 'interrupted'; break; }
      if (options.stopAfter !== undefined && step - resumedFrom >= options.stopAfter) { status = 'stopped'; break; }
      const t0 = Date.now();
      let lossSum = 0;
      const partSums: Record<string, number> = {};
      for (let micro = 0; micro < accum; micro++) {
        const batch = stream.next();
        try {
          const dropoutSeed = stepSeed(seed, SEED_KEYS.dropout, step, micro);
          const r = namedGradients(params, () => {
            const f = forward(setup, setup.trainingHeads, batch, true, dropoutSeed);
            const metrics: Record<string, tf.Scalar> = { ...f.metrics };
            for (const [k, v] of Object.entries(f.losses)) metrics[`${k}_loss`] = v;
            return { loss: f.loss, metrics };
          });
          lossSum += r.loss;
          for (const [k, v] of Object.entries(r.metrics)) partSums[k] = (partSums[k] ?? 0) + v;
          accumulator.add(r.grads);
          for (const g of r.grads.values()) g.dispose();
        } finally {
          disposeBatch(batch);
        }
      }
      const loss = lossSum / accum;
      const grads = accumulator.take();
      if (!Number.isFinite(loss)) {
        for (const g of grads.values()) g.dispose();
        log.write({ type: 'event', step: step + 1, event: 'non-finite-loss', loss: String(loss) });
        throw new TrainerError(`loss is ${loss} at step ${step + 1}; stopped without updating the weights` +
          (lastCheckpoint ? `; last good checkpoint: ${lastCheckpoint}` : '; no checkpoint was saved yet'));
      }
      const clipped = clipByGlobalNorm(grads, clipNorm);
      for (const g of grads.values()) g.dispose();
      const lr = learningRateAt(step, schedule);
      optimizer.applyGradients(params, clipped.grads, lr);
      for (const g of clipped.grads.values()) g.dispose();
      step += 1;
      const tokens = accum * options.batchSize * options.maxSeqLength;
      tokensSeen += tokens;
      tokensThisRun += tokens;
      const dt = (Date.now() - t0) / 1000;
      stepTimeEma = stepTimeEma === 0 ? dt : 0.9 * stepTimeEma + 0.1 * dt;
      if (step % logEvery === 0 || step === steps) {
        const parts = Object.fromEntries(Object.entries(partSums).map(([k, v]) => [k, v / accum]));
        log.write({ type: 'train', step, loss, lr, grad_norm: clipped.globalNorm, ...parts, tokens_per_s: tokens / Math.max(dt, 1e-9) });
      }
      progress.step({
        step, totalSteps: steps, loss, learningRate: lr, tokensPerSecond: tokens / Math.max(stepTimeEma, 1e-9),
        etaSeconds: (steps - step) * stepTimeEma,
      });
      options.onStep?.({ step, loss, lr });
      if (evalEvery > 0 && step % evalEvery === 0 && step !== steps) runEval();
      if (step % saveEvery === 0 && step !== steps) save();
    }
    if (step === steps && evalSets !== undefined) {
      const last = log.records.at(-1);
      if (!(last?.type === 'eval' && last.step === step)) runEval();
    }
    if (status === 'interrupted') progress.message(`received ${signals?.signal}: saving a checkpoint at step ${step}`);
    const checkpoint = step > 0 && path.basename(lastCheckpoint) !== checkpointName(step) ? save() : lastCheckpoint;
    progress.close();
    const seconds = (Date.now() - started) / 1000;
    return {
      status, step, checkpoint, resumedFrom,
      train: log.records.filter((r) => r.type === 'train').map((r) => ({ ...(r as unknown as PretrainResult['train'][number]), gradNorm: r.grad_norm as number })),
      eval: log.records.filter((r) => r.type === 'eval') as unknown as PretrainResult['eval'],
      parameterCount: setup.model.countParameters(),
      tokensPerSecond: tokensThisRun / Math.max(seconds, 1e-9),
      backend, records: [...log.records],
    };
  } finally {
    progress.close();
    signals?.dispose();
    accumulator.dispose();
    optimizer.dispose();
    setup.model.dispose();
  }
}
