import path from 'node:path';
import { configFromHf, deriveSeed, hfModelFiles } from '@albert-ts/core';
import { readHfDirectory } from '@albert-ts/core/node';
import { BatchIterator, type Task, encodeExamples, exampleBatch, loadTask } from '@albert-ts/data';
import { tokenizerFiles } from '@albert-ts/tokenizer';
import { loadTokenizerDir } from '@albert-ts/tokenizer/node';
import {
  type CollapseMonitorOptions, type CollapseReport, MetricsLog, type MetricsRecord, type OptimizerName, SEED_KEYS,
  TrainerError, checkInteger, collapseMonitor, createOptimizer, train,
} from '@albert-ts/trainer';
import {
  diskCheckpoints, latestCheckpoint, listCheckpoints, stopOnSignals, writeCheckpointDir,
} from '@albert-ts/trainer/node';
import { withOutLock } from '../out-lock.js';
import { type ProgressOption, progressHook } from '../progress.js';
import { type ClassifierEvaluation, evaluateExamples, loadClassifier, modelDirectory, newClassifier } from './classifier.js';

/** Options of {@link finetune}. */
export interface FinetuneOptions {
  /** A pretrained checkpoint: an HF directory (config.json, model.safetensors, spiece.model) or a run's out dir. */
  model: string;
  /** Downstream task of `@albert-ts/data`: `spam`, `sotu-party`, `moby-vs-sotu`. */
  task: string;
  /**
   * Output directory: the fine-tuned model is saved as `checkpoints/step-N` (see `latest`); `training/` holds the
   * checkpoints of the training itself (weights and optimizer state) that `resume` continues from. It is locked
   * while the run lasts (`.lock`): a second run on it is refused with a `RunLockedError`.
   */
  out: string;
  /**
   * Continue the training checkpointed in `out` (exactly: the same final weights as an uninterrupted run). Default
   * false: an `out` that already holds checkpoints is refused.
   */
  resume?: boolean;
  /** Save a training checkpoint every N steps (default: every epoch); the last step is always saved. */
  saveEvery?: number;
  /** Stop (after saving a training checkpoint) once this invocation has run this many steps: time-boxing and tests. */
  stopAfter?: number;
  /** Default 3. */
  epochs?: number;
  /**
   * Peak learning rate (default 5e-4: the best rate of the fine-tuning sweep, `scripts/finetune-sweep.ts`, on
   * moby-vs-sotu and spam from pretrained and random initialisation, no collapsed seed; see the trainer README).
   */
  lr?: number;
  /** Default 16. */
  batchSize?: number;
  /** Default 128 (capped by the model's max_position_embeddings). */
  maxSeqLength?: number;
  /**
   * Default `adamw`: torch's bias-corrected AdamW, as HF's Trainer fine-tunes (ε 1e-8, weight decay 0.01 without
   * LayerNorm/bias). `adamw-uncorrected` (google-research's) and `lamb` are selectable.
   */
  optimizer?: OptimizerName;
  /** Fraction of steps of linear warmup (default 0.1). */
  warmupProportion?: number;
  /** Default: the optimizer's (0.01). */
  weightDecay?: number;
  /** Default 1.0. */
  clipNorm?: number;
  /** Default 12345. */
  seed?: number;
  /** Use the checkpoint's config and tokenizer but random weights (the baseline of a pretraining comparison). */
  fromScratch?: boolean;
  /** Use at most this many training examples (seeded sample), e.g. to time-box. */
  maxTrainExamples?: number;
  /** Evaluate on at most this many validation/test examples. */
  maxEvalExamples?: number;
  /**
   * Watch for a collapse (every prediction one class, the pooled `[CLS]` spread gone, the loss flat; see
   * `collapseMonitor` of `@albert-ts/trainer`). Default `{}`: stop with a one-line `CollapseError` that names the
   * checkpoint to start again from with a lower rate. `{ action: 'report' }` finishes the run and returns the
   * report in `collapse`; `false` does not watch.
   */
  collapse?: false | CollapseMonitorOptions;
  /** Progress stream (default stderr); `false` for none. */
  progress?: ProgressOption;
  /** Save and stop on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
}

/** Outcome of {@link finetune}. */
export interface FinetuneResult {
  /** `completed`, `interrupted` (a signal) or `stopped` (`stopAfter`); `resume` continues the last two. */
  status: 'completed' | 'interrupted' | 'stopped';
  task: string;
  labels: string[];
  /** Validation metrics after each epoch. */
  epochs: { epoch: number; step: number; loss: number; validation: ClassifierEvaluation }[];
  validation: ClassifierEvaluation;
  test: ClassifierEvaluation;
  checkpoint: string;
  /** The collapse the monitor reported (`collapse: { action: 'report' }`), if any. */
  collapse?: CollapseReport;
  records: MetricsRecord[];
}

/** A deterministic evenly strided subsample (the task splits are already shuffled with a fixed seed). */
function sample<T>(xs: readonly T[], max: number | undefined): T[] {
  if (max === undefined || xs.length <= max) return [...xs];
  const stride = xs.length / max;
  return Array.from({ length: max }, (_, i) => xs[Math.floor(i * stride)]);
}

/**
 * Fine-tunes a pretrained ALBERT for sequence classification (HF `AlbertForSequenceClassification`: dropout and a
 * Linear on the pooled output, cross-entropy) on a downstream task: attaches the head and calls `train` with AdamW,
 * linear warmup/decay and clipping; reports accuracy and F1 on the validation split after each epoch and on the
 * test split at the end, and saves the classifier as an HF directory (`config.json` with `id2label`,
 * `model.safetensors`, `spiece.model`).
 */
export async function finetune(options: FinetuneOptions): Promise<FinetuneResult> {
  validate(options);
  const out = path.resolve(options.out);
  const progress = progressHook(options.progress);
  return withOutLock(out, 'finetune', progress, () => finetuneLocked(options, out, progress));
}

/** Sub-directory of a fine-tuning `out` with the training checkpoints (weights and optimizer state) for `resume`. */
export const FINETUNE_TRAINING_DIR = 'training';

function validate(options: FinetuneOptions): void {
  const epochs = options.epochs ?? 3;
  const batchSize = options.batchSize ?? 16;
  const seed = options.seed ?? 12345;
  const warmupProportion = options.warmupProportion ?? 0.1;
  checkInteger('epochs', epochs, 1);
  checkInteger('batchSize', batchSize, 1);
  checkInteger('seed', seed, 0);
  checkInteger('maxSeqLength', options.maxSeqLength, 8);
  checkInteger('maxTrainExamples', options.maxTrainExamples, 1);
  checkInteger('maxEvalExamples', options.maxEvalExamples, 1);
  checkInteger('saveEvery', options.saveEvery, 1);
  checkInteger('stopAfter', options.stopAfter, 1);
  if (typeof options.out !== 'string' || options.out === '') throw new TrainerError('out: an output directory is required', { field: 'out', value: options.out });
  if (!(warmupProportion >= 0 && warmupProportion <= 1)) {
    throw new TrainerError(`warmupProportion: ${warmupProportion} must be in [0, 1]`, { field: 'warmupProportion', value: warmupProportion });
  }
}

async function finetuneLocked(options: FinetuneOptions, out: string, progress: ReturnType<typeof progressHook>): Promise<FinetuneResult> {
  const epochs = options.epochs ?? 3;
  const batchSize = options.batchSize ?? 16;
  const seed = options.seed ?? 12345;
  const warmupProportion = options.warmupProportion ?? 0.1;
  if (!options.resume && listCheckpoints(out).length > 0) {
    throw new TrainerError(`${out} already holds a fine-tuned model (${latestCheckpoint(out)}): resume or choose another directory`, { field: 'out', value: options.out });
  }
  const dir = modelDirectory(options.model);
  const { config: json, tensors } = readHfDirectory(dir);
  const tokenizer = loadTokenizerDir(dir);
  const task: Task = loadTask(options.task);
  const config = configFromHf(json);
  const maxSeqLength = Math.min(options.maxSeqLength ?? 128, config.maxPositionEmbeddings);
  const trainSet = encodeExamples(tokenizer, sample(task.train, options.maxTrainExamples), maxSeqLength);
  const validation = encodeExamples(tokenizer, sample(task.validation, options.maxEvalExamples), maxSeqLength);
  const test = encodeExamples(tokenizer, sample(task.test, options.maxEvalExamples), maxSeqLength);
  const bs = Math.min(batchSize, trainSet.n);
  const stepsPerEpoch = Math.floor(trainSet.n / bs);
  const totalSteps = epochs * stepsPerEpoch;
  const optimizer = createOptimizer(options.optimizer ?? 'adamw', { weightDecayRate: options.weightDecay });
  const model = newClassifier(json, config, tensors, task.labels.length, seed, options.fromScratch);
  const collapse = options.collapse === false ? undefined : collapseMonitor({
    restartFrom: options.fromScratch ? 'random initialisation' : `the pretrained checkpoint ${dir}`, ...options.collapse,
  });
  const signals = options.handleSignals === false ? undefined : stopOnSignals();
  const log = new MetricsLog();
  try {
    const history: FinetuneResult['epochs'] = [];
    let epochLoss = 0;
    const batches = new BatchIterator(Array.from({ length: trainSet.n }, (_, i) => i), { batchSize: bs, seed: deriveSeed(seed, SEED_KEYS.shuffle) })
      .map((rows) => exampleBatch(trainSet, rows));
    const trainingDir = path.join(out, FINETUNE_TRAINING_DIR);
    const r = await train(model, batches, {
      optimizer, seed, clipNorm: options.clipNorm, metrics: log, signal: signals?.signal, tokensPerBatch: bs * maxSeqLength,
      checkpoint: diskCheckpoints(trainingDir, { every: options.saveEvery ?? stepsPerEpoch, keep: 1, resume: options.resume }),
      onStart: (run) => {
        if (run.step === 0) return;
        progress.reporter.message(`resumed from ${latestCheckpoint(trainingDir) ?? trainingDir} at step ${run.step}`);
        // The epochs so far, from the checkpoint's records: their validation results and train losses.
        const losses = new Map<number, number>();
        for (const x of run.records) if (x.type === 'train') losses.set(x.step, x.loss as number);
        const lossSum = (from: number, to: number): number => {
          let sum = 0;
          for (let s = from + 1; s <= to; s++) sum += losses.get(s) ?? NaN;
          return sum;
        };
        for (const x of run.records) {
          if (x.type !== 'eval' || x.split !== 'validation') continue;
          const { type: _t, step, epoch, split: _s, ...v } = x;
          history.push({ epoch: epoch as number, step, loss: lossSum(step - stepsPerEpoch, step) / stepsPerEpoch, validation: v as unknown as ClassifierEvaluation });
        }
        epochLoss = lossSum(run.step - (run.step % stepsPerEpoch), run.step);
      },
      schedule: { learningRate: options.lr ?? 5e-4, totalSteps, warmupSteps: Math.floor(warmupProportion * totalSteps) },
      run: { task: task.name, train: trainSet.n, validation: validation.n, test: test.n, fromScratch: Boolean(options.fromScratch) },
      onStep: [progress.hook, ...(collapse === undefined ? [] : [collapse]), (info, run) => {
        epochLoss += info.loss;
        if (info.step % stepsPerEpoch !== 0) return;
        const epoch = info.step / stepsPerEpoch;
        const v = evaluateExamples(model, validation, bs);
        history.push({ epoch, step: info.step, loss: epochLoss / stepsPerEpoch, validation: v });
        run.log({ type: 'eval', step: info.step, epoch, split: 'validation', ...v });
        progress.reporter.message(`epoch ${epoch}: train loss ${(epochLoss / stepsPerEpoch).toFixed(4)}  validation accuracy ${v.accuracy.toFixed(4)} f1 ${v.f1.toFixed(4)}`);
        epochLoss = 0;
      }, (info, run) => (options.stopAfter !== undefined && info.step - run.resumedFrom >= options.stopAfter ? 'stop' : undefined)],
    });
    const validationMetrics = history.at(-1)?.validation ?? evaluateExamples(model, validation, bs);
    const testMetrics = evaluateExamples(model, test, bs);
    log.write({ type: 'eval', step: r.step, split: 'test', ...testMetrics });
    const files = hfModelFiles(model, {
      config: {
        architectures: ['AlbertForSequenceClassification'], problem_type: 'single_label_classification',
        id2label: Object.fromEntries(task.labels.map((l, i) => [String(i), l])),
        label2id: Object.fromEntries(task.labels.map((l, i) => [l, i])), albert_ts_task: task.name,
      },
      tokenizerFiles: tokenizerFiles(tokenizer, { modelMaxLength: config.maxPositionEmbeddings }),
    });
    files.set('metrics.jsonl', new TextEncoder().encode(log.records.map((x) => JSON.stringify(x) + '\n').join('')));
    const checkpoint = writeCheckpointDir(out, r.step, files, 1);
    return {
      status: r.status, task: task.name, labels: task.labels, epochs: history,
      validation: validationMetrics, test: testMetrics, checkpoint, records: log.records, collapse: collapse?.report,
    };
  } finally {
    progress.reporter.close();
    signals?.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

/** Options of {@link evaluateClassifier}. */
export interface EvalOptions {
  /** A directory written by {@link finetune} (or its run dir). */
  model: string;
  /** Task (default: the one recorded in the model's config.json). */
  task?: string;
  /** Default `test`. */
  split?: 'train' | 'validation' | 'test';
  batchSize?: number;
  maxSeqLength?: number;
}

/** Accuracy and F1 of a fine-tuned classifier on a task split. */
export async function evaluateClassifier(options: EvalOptions): Promise<ClassifierEvaluation & { task: string; split: string }> {
  checkInteger('batchSize', options.batchSize, 1);
  checkInteger('maxSeqLength', options.maxSeqLength, 8);
  const { model, tokenizer, labels, task: savedTask } = loadClassifier(options.model);
  try {
    const taskName = options.task ?? savedTask;
    if (taskName === undefined) throw new TrainerError('task: the model does not record its task; name one', { field: 'task' });
    const task = loadTask(taskName);
    if (task.labels.join('\u0000') !== labels.join('\u0000')) {
      throw new TrainerError(`task: '${taskName}' has labels [${task.labels}] but the model was trained on [${labels}]`, { field: 'task', value: taskName });
    }
    const split = options.split ?? 'test';
    if (!(['train', 'validation', 'test'] as const).includes(split)) {
      throw new TrainerError(`split: '${String(split)}' is not one of train, validation, test`, { field: 'split', value: split });
    }
    const maxSeqLength = Math.min(options.maxSeqLength ?? 128, model.config.maxPositionEmbeddings);
    const data = encodeExamples(tokenizer, task[split], maxSeqLength);
    return { task: taskName, split, ...evaluateExamples(model, data, options.batchSize ?? 32) };
  } finally {
    model.dispose();
  }
}
