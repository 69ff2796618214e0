import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  type AlbertModel, type HfTensor, ParameterStore, configFromHf, createAlbert, createApplyContext, modelFromHf,
  sharingFromHfConfig,
} from '@albert-ts/core';
import { BatchIterator, type Task, type TaskExample, loadTask } from '@albert-ts/data';
import { factorized } from '@albert-ts/embeddings';
import { type SequenceClassificationHead, sequenceClassification } from '@albert-ts/objectives';
import { AlbertTokenizer } from '@albert-ts/tokenizer';
import { selectBackend } from '../backend.js';
import { resolveModelDir, writeCheckpointDir } from '../checkpoint/layout.js';
import { modelCheckpointFiles, readModelFiles } from '../checkpoint/model-files.js';
import { TrainerError } from '../errors.js';
import { namedGradients } from '../loop/gradients.js';
import { SignalWatch } from '../loop/signals.js';
import { type ClassificationMetrics, classificationMetrics } from '../metrics/classification.js';
import { MetricsLog, type MetricsRecord } from '../metrics/jsonl.js';
import { createProgressReporter } from '../metrics/progress.js';
import { clipByGlobalNorm } from '../optim/clip.js';
import { createOptimizer } from '../optim/create.js';
import { learningRateAt, validateSchedule } from '../optim/schedule.js';
import { SEED_KEYS, stepSeed } from '../seeds.js';

/** Options of {@link finetune}. */
export interface FinetuneOptions {
  /** A pretrained checkpoint: an HF directory (config.json, model.safetensors, spiece.model) or a run's out dir. */
  model: string;
  /** Downstream task of `@albert-ts/data`: `spam`, `sotu-party`, `moby-vs-sotu`. */
  task: string;
  /** Output directory (the fine-tuned model is saved as `checkpoints/step-N`, see `latest`). */
  out: string;
  /** Default 3. */
  epochs?: number;
  /** Peak learning rate (default 1e-4). */
  lr?: number;
  /** Default 16. */
  batchSize?: number;
  /** Default 128 (capped by the model's max_position_embeddings). */
  maxSeqLength?: number;
  /** Default `adamw` (as BERT/ALBERT fine-tuning). */
  optimizer?: 'lamb' | 'adamw';
  /** Fraction of steps of linear warmup (default 0.1). */
  warmupProportion?: number;
  /** Default 0.01. */
  weightDecay?: number;
  /** Default 1.0. */
  clipNorm?: number;
  /** Default 12345. */
  seed?: number;
  /** `wasm`, `cpu`, `node-gpu`; default: the current backend. */
  backend?: string;
  /** Use the checkpoint's config and tokenizer but random weights (the baseline of a pretraining comparison). */
  fromScratch?: boolean;
  /** Use at most this many training examples (seeded sample), e.g. to time-box. */
  maxTrainExamples?: number;
  /** Evaluate on at most this many validation/test examples. */
  maxEvalExamples?: number;
  /** Progress stream (default stderr); `false` for none. */
  progress?: NodeJS.WritableStream | { write(s: string): unknown; isTTY?: boolean } | false;
  /** Save and stop on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
}

/** Outcome of {@link finetune}. */
export interface FinetuneResult {
  status: 'completed' | 'interrupted';
  task: string;
  labels: string[];
  /** Validation metrics after each epoch. */
  epochs: { epoch: number; step: number; loss: number; validation: ClassificationMetrics }[];
  validation: ClassificationMetrics;
  test: ClassificationMetrics;
  checkpoint: string;
  records: MetricsRecord[];
}

/** Encoded examples of one split: `[N, T]` ids, types and masks as flat arrays, plus labels. */
interface Encoded {
  readonly n: number;
  readonly t: number;
  readonly inputIds: Int32Array;
  readonly tokenTypeIds: Int32Array;
  readonly attentionMask: Int32Array;
  readonly labels: Int32Array;
}

function encode(tok: AlbertTokenizer, examples: readonly TaskExample[], t: number): Encoded {
  const n = examples.length;
  const out = {
    n, t, inputIds: new Int32Array(n * t), tokenTypeIds: new Int32Array(n * t), attentionMask: new Int32Array(n * t),
    labels: new Int32Array(n),
  };
  examples.forEach((e, i) => {
    const enc = tok.encode(e.text, e.textPair, { maxLength: t, truncation: true, padding: 'max_length' });
    out.inputIds.set(enc.inputIds.slice(0, t), i * t);
    out.tokenTypeIds.set(enc.tokenTypeIds.slice(0, t), i * t);
    out.attentionMask.set(enc.attentionMask.slice(0, t), i * t);
    out.labels[i] = e.label;
  });
  return out;
}

function batchTensors(d: Encoded, rows: readonly number[]) {
  const b = rows.length;
  const pick = (src: Int32Array) => {
    const a = new Int32Array(b * d.t);
    rows.forEach((r, i) => a.set(src.subarray(r * d.t, (r + 1) * d.t), i * d.t));
    return tf.tensor2d(a, [b, d.t], 'int32');
  };
  return {
    inputIds: pick(d.inputIds), tokenTypeIds: pick(d.tokenTypeIds), attentionMask: pick(d.attentionMask),
    labels: tf.tensor1d(Int32Array.from(rows, (r) => d.labels[r]), 'int32'),
  };
}

/** A backbone with a sequence-classification head. */
export interface ClassifierModel {
  readonly albert: AlbertModel;
  readonly head: SequenceClassificationHead;
  readonly headStore: ParameterStore;
  /** Backbone + head parameters by canonical name. */
  params(): Map<string, tf.Variable>;
  dispose(): void;
}

function makeClassifier(albert: AlbertModel, numLabels: number, seed: number): ClassifierModel {
  const headStore = new ParameterStore(albert.config.initializerRange, stepSeed(seed, SEED_KEYS.init));
  const head = sequenceClassification({ numLabels }).build({ config: albert.config, params: headStore, wordEmbeddings: albert.wordEmbeddings });
  return {
    albert, head, headStore,
    params: () => new Map([...albert.namedParameters(), ...headStore.named()]),
    dispose: () => { albert.dispose(); headStore.dispose(); },
  };
}

/** Logits `[B, C]` of a batch (no dropout unless `training`). */
function logitsOf(m: ClassifierModel, b: ReturnType<typeof batchTensors>, training: boolean, seed: number): tf.Tensor2D {
  const out = m.albert.apply(
    { inputIds: b.inputIds, tokenTypeIds: b.tokenTypeIds, attentionMask: b.attentionMask }, { training, dropoutSeed: seed });
  const ctx = createApplyContext({ training, dropoutSeed: (seed ^ 0x68e31da4) >>> 0 });
  return m.head.logits(out.poolerOutput!, ctx);
}

/** Accuracy and F1 of a classifier on encoded examples (batched, no dropout). */
function evaluate(m: ClassifierModel, d: Encoded, batchSize: number, numLabels: number): ClassificationMetrics {
  const preds = new Int32Array(d.n);
  for (let i = 0; i < d.n; i += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, d.n - i) }, (_, k) => i + k);
    const b = batchTensors(d, rows);
    try {
      const p = tf.tidy(() => tf.argMax(logitsOf(m, b, false, 0), -1));
      preds.set(p.dataSync() as Int32Array, i);
      p.dispose();
    } finally {
      tf.dispose([b.inputIds, b.tokenTypeIds, b.attentionMask, b.labels]);
    }
  }
  return classificationMetrics(preds, d.labels, numLabels);
}

/** Loads a classifier saved by {@link finetune} (config.json with id2label, `classifier.*` tensors). */
export function loadClassifier(dir: string): { model: ClassifierModel; tokenizer: AlbertTokenizer; labels: string[]; task?: string } {
  const resolved = resolveModelDir(dir);
  if (resolved === undefined) throw new TrainerError(`model: ${dir} is neither a model directory nor a run with checkpoints`);
  const files = readModelFiles(resolved);
  const id2label = files.config.id2label as Record<string, string> | undefined;
  const w = files.tensors.get('classifier.weight');
  const b = files.tensors.get('classifier.bias');
  if (id2label === undefined || w === undefined || b === undefined) {
    throw new TrainerError(`model: ${resolved} is not a fine-tuned sequence classifier (needs id2label and classifier.* tensors)`);
  }
  const labels = Object.keys(id2label).sort((x, y) => Number(x) - Number(y)).map((k) => id2label[k]);
  const albert = modelFromHf(files.config, files.tensors, { embeddings: factorized(), addPoolingLayer: true }) as AlbertModel;
  const model = makeClassifier(albert, labels.length, 0);
  if (w.shape[0] !== labels.length || w.shape[1] !== albert.config.hiddenSize) {
    model.dispose();
    throw new TrainerError(`model: classifier.weight has shape [${w.shape}], expected [${labels.length},${albert.config.hiddenSize}]`);
  }
  tf.tidy(() => {
    model.head.weight.assign(tf.transpose(tf.tensor2d(w.data, [w.shape[0], w.shape[1]]))); // [C, H] -> [H, C]
    model.head.bias.assign(tf.tensor1d(b.data));
  });
  return {
    model, tokenizer: AlbertTokenizer.fromBytes(files.spieceModel), labels,
    task: typeof files.config.albert_ts_task === 'string' ? files.config.albert_ts_task : undefined,
  };
}

/** A deterministic evenly strided subsample (the task splits are already shuffled with a fixed seed). */
function sample<T>(xs: readonly T[], max: number | undefined): T[] {
  if (max === undefined || xs.length <= max) return [...xs];
  const stride = xs.length / max;
  return Array.from({ length: max }, (_, i) => xs[Math.floor(i * stride)]);
}

/**
 * Fine-tunes a pretrained ALBERT for sequence classification (HF `AlbertForSequenceClassification`: dropout and a
 * Linear on the pooled output, cross-entropy) on a downstream task, with AdamW, linear warmup/decay and global-norm
 * clipping; reports accuracy and F1 on the validation split after each epoch and on the test split at the end,
 * and saves the classifier as an HF directory (`config.json` with `id2label`, `model.safetensors`, `spiece.model`).
 */
export async function finetune(options: FinetuneOptions): Promise<FinetuneResult> {
  const epochs = options.epochs ?? 3;
  const batchSize = options.batchSize ?? 16;
  const seed = options.seed ?? 12345;
  for (const [k, v, min] of [['epochs', epochs, 1], ['batch-size', batchSize, 1], ['seed', seed, 0]] as const) {
    if (!(Number.isInteger(v) && v >= min)) throw new TrainerError(`${k}: ${v} must be an integer >= ${min}`);
  }
  await selectBackend(options.backend);
  const resolved = resolveModelDir(options.model);
  if (resolved === undefined) throw new TrainerError(`model: ${options.model} is neither a model directory nor a run with checkpoints`);
  const files = readModelFiles(resolved);
  const task: Task = loadTask(options.task);
  const config = configFromHf(files.config);
  const maxSeqLength = Math.min(options.maxSeqLength ?? 128, config.maxPositionEmbeddings);
  const tokenizer = AlbertTokenizer.fromBytes(files.spieceModel);
  const numLabels = task.labels.length;
  const albert = options.fromScratch
    ? createAlbert(config, { embeddings: factorized(), sharing: sharingFromHfConfig(files.config, config), seed: stepSeed(seed, SEED_KEYS.init, 1) })
    : (modelFromHf(files.config, files.tensors, { embeddings: factorized(), addPoolingLayer: true }) as AlbertModel);
  const model = makeClassifier(albert, numLabels, seed);
  const out = path.resolve(options.out);
  const log = new MetricsLog();
  const progress = createProgressReporter(options.progress === false ? { write: () => true } : (options.progress ?? process.stderr), 10);
  const signals = options.handleSignals === false ? undefined : new SignalWatch();
  const optimizer = createOptimizer(options.optimizer ?? 'adamw', { weightDecayRate: options.weightDecay ?? 0.01 });
  try {
    const train = encode(tokenizer, sample(task.train, options.maxTrainExamples), maxSeqLength);
    const validation = encode(tokenizer, sample(task.validation, options.maxEvalExamples), maxSeqLength);
    const test = encode(tokenizer, sample(task.test, options.maxEvalExamples), maxSeqLength);
    const bs = Math.min(batchSize, train.n);
    const stepsPerEpoch = Math.floor(train.n / bs);
    const totalSteps = epochs * stepsPerEpoch;
    const warmupProportion = options.warmupProportion ?? 0.1;
    if (!(warmupProportion >= 0 && warmupProportion <= 1)) {
      throw new TrainerError(`warmup-proportion: ${warmupProportion} must be in [0, 1]`);
    }
    const schedule = { learningRate: options.lr ?? 1e-4, totalSteps, warmupSteps: Math.floor(warmupProportion * totalSteps) };
    validateSchedule(schedule);
    const iterator = new BatchIterator(Array.from({ length: train.n }, (_, i) => i), { batchSize: bs, seed: stepSeed(seed, SEED_KEYS.shuffle) });
    const params = model.params();
    log.write({ type: 'event', step: 0, event: 'start', task: task.name, train: train.n, validation: validation.n, test: test.n, fromScratch: Boolean(options.fromScratch) });
    const history: FinetuneResult['epochs'] = [];
    let step = 0;
    let status: FinetuneResult['status'] = 'completed';
    outer: for (let epoch = 1; epoch <= epochs; epoch++) {
      let lossSum = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (signals?.signal !== undefined) { status = 'interrupted'; break outer; }
        const t0 = Date.now();
        const b = batchTensors(train, iterator.next());
        let loss: number;
        try {
          const dropoutSeed = stepSeed(seed, SEED_KEYS.dropout, step);
          const r = namedGradients(params, () => {
            const logits = logitsOf(model, b, true, dropoutSeed);
            return { loss: model.head.loss(logits, b.labels), metrics: {} };
          });
          loss = r.loss;
          if (!Number.isFinite(loss)) {
            for (const g of r.grads.values()) g.dispose();
            throw new TrainerError(`loss is ${loss} at step ${step + 1} (epoch ${epoch}); stopped without saving`);
          }
          const clipped = clipByGlobalNorm(r.grads, options.clipNorm ?? 1.0);
          for (const g of r.grads.values()) g.dispose();
          const lr = learningRateAt(step, schedule);
          optimizer.applyGradients(params, clipped.grads, lr);
          for (const g of clipped.grads.values()) g.dispose();
          step += 1;
          lossSum += loss;
          log.write({ type: 'train', step, epoch, loss, lr });
          const dt = (Date.now() - t0) / 1000;
          progress.step({ step, totalSteps, loss, learningRate: lr, tokensPerSecond: (bs * maxSeqLength) / Math.max(dt, 1e-9), etaSeconds: (totalSteps - step) * dt });
        } finally {
          tf.dispose([b.inputIds, b.tokenTypeIds, b.attentionMask, b.labels]);
        }
      }
      const v = evaluate(model, validation, bs, numLabels);
      history.push({ epoch, step, loss: lossSum / Math.max(stepsPerEpoch, 1), validation: v });
      log.write({ type: 'eval', step, epoch, split: 'validation', ...v });
      progress.message(`epoch ${epoch}: train loss ${(lossSum / Math.max(stepsPerEpoch, 1)).toFixed(4)}  validation accuracy ${v.accuracy.toFixed(4)} f1 ${v.f1.toFixed(4)}`);
    }
    const validationMetrics = history.at(-1)?.validation ?? evaluate(model, validation, bs, numLabels);
    const testMetrics = evaluate(model, test, bs, numLabels);
    log.write({ type: 'eval', step, split: 'test', ...testMetrics });
    const wT = tf.transpose(model.head.weight); // [H, C] -> [C, H] (torch layout)
    const wData = Float32Array.from(wT.dataSync() as Float32Array);
    wT.dispose();
    const headTensors = new Map<string, HfTensor>([
      ['classifier.weight', { shape: [numLabels, config.hiddenSize], data: wData }],
      ['classifier.bias', { shape: [numLabels], data: Float32Array.from(model.head.bias.dataSync() as Float32Array) }],
    ]);
    const id2label = Object.fromEntries(task.labels.map((l, i) => [String(i), l]));
    const label2id = Object.fromEntries(task.labels.map((l, i) => [l, i]));
    const files2 = modelCheckpointFiles(model.albert, files.spieceModel, {
      architectures: ['AlbertForSequenceClassification'], id2label, label2id,
      problem_type: 'single_label_classification', albert_ts_task: task.name,
    }, headTensors, 'albert.');
    files2.push({ path: 'metrics.jsonl', bytes: log.records.map((r) => JSON.stringify(r) + '\n').join('') });
    const checkpoint = writeCheckpointDir(out, step, files2, 1);
    progress.close();
    return {
      status, task: task.name, labels: task.labels, epochs: history, validation: validationMetrics, test: testMetrics,
      checkpoint, records: log.records,
    };
  } finally {
    progress.close();
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
  backend?: string;
}

/** Accuracy and F1 of a fine-tuned classifier on a task split. */
export async function evaluateClassifier(options: EvalOptions): Promise<ClassificationMetrics & { task: string; split: string }> {
  await selectBackend(options.backend);
  const { model, tokenizer, labels, task: savedTask } = loadClassifier(options.model);
  try {
    const taskName = options.task ?? savedTask;
    if (taskName === undefined) throw new TrainerError('task: the model does not record its task; pass --task');
    const task = loadTask(taskName);
    if (task.labels.join('\u0000') !== labels.join('\u0000')) {
      throw new TrainerError(`task: '${taskName}' has labels [${task.labels}] but the model was trained on [${labels}]`);
    }
    const split = options.split ?? 'test';
    const maxSeqLength = Math.min(options.maxSeqLength ?? 128, model.albert.config.maxPositionEmbeddings);
    const data = encode(tokenizer, task[split], maxSeqLength);
    return { task: taskName, split, ...evaluate(model, data, options.batchSize ?? 32, labels.length) };
  } finally {
    model.dispose();
  }
}
