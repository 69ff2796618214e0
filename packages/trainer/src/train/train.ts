import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@albert-ts/core';
import { NonFiniteLossError, TrainerError, checkInteger, checkPositive } from '../errors.js';
import { MetricsLog, type MetricsRecord } from '../metrics/log.js';
import type { Optimizer } from '../optim/optimizer.js';
import { type Schedule, rateAt, validateSchedule } from '../optim/schedule.js';
import { SEED_KEYS } from '../seeds.js';
import { TRAINER_STATE_VERSION, type TrainerState, checkResumeCompatible } from '../state/train-state.js';
import { type Batches, disposeBatch, toBatchSource } from './batches.js';
import type { Checkpointer } from './checkpointer.js';
import { trainStepAsync, type TrainStepResult } from './train-step.js';
import type { TrainableModel } from './trainable.js';

/** What a step hook sees after each optimizer step. */
export interface StepInfo {
  /** Optimizer steps done (1 after the first). */
  readonly step: number;
  readonly totalSteps: number;
  readonly loss: number;
  /** Learning rate the step used. */
  readonly lr: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** The model's metrics and per-objective losses (`<name>_loss`), averaged over the micro-batches. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Wall time of the step. */
  readonly seconds: number;
  /** Tokens of the step (`tokensPerBatch` × micro-batches; 0 when `tokensPerBatch` is not given). */
  readonly tokens: number;
}

/** The running training, as hooks see it. */
export interface TrainRun<M> {
  readonly model: M;
  /** Optimizer steps done so far. */
  readonly step: number;
  readonly totalSteps: number;
  /** The step this invocation started from (0, or the checkpoint's). */
  readonly resumedFrom: number;
  /** Every metrics record so far (resumed history included). */
  readonly records: readonly MetricsRecord[];
  /** The newest checkpoint saved (or resumed from) so far and its step; undefined before any. */
  readonly lastCheckpoint: { readonly location: string; readonly step: number } | undefined;
  /** Adds a record (e.g. an evaluation) to the metrics; it is saved with the next checkpoint. */
  log(record: MetricsRecord): void;
}

/**
 * Runs after every optimizer step (after its `train` record, before a checkpoint of that step). Return `'stop'`
 * to end the run after this step (status `stopped`, a checkpoint is saved); throw (a typed error) to abort it.
 */
export type StepHook<M> = (info: StepInfo, run: TrainRun<M>) => void | 'stop' | Promise<void | 'stop'>;

/** Options of {@link train}. */
export interface TrainOptions<M> {
  /** `new Lamb()`, `new AdamW()`, `createOptimizer('lamb', {...})`, or your own {@link Optimizer}. */
  readonly optimizer: Optimizer;
  /** Learning rate per step: warmup + linear decay (`{ learningRate, totalSteps, warmupSteps }`) or a function. */
  readonly schedule: Schedule;
  /** Optimizer steps in total (default: `schedule.totalSteps`; required with a function schedule). */
  readonly steps?: number;
  /** Global-norm clip (default 1.0). */
  readonly clipNorm?: number;
  /** Micro-batches per optimizer step; their gradients are averaged (default 1). */
  readonly accumulate?: number;
  /** Seed of the dropout masks: micro-batch m of step s uses `deriveSeed(seed, SEED_KEYS.dropout, s, m)` (default 0). */
  readonly seed?: number;
  /** Called before the first step (after a resume): e.g. an evaluation at step 0. */
  readonly onStart?: (run: TrainRun<M>) => void | Promise<void>;
  /** Called after every step, in order: progress, evaluation, early stopping, monitors. */
  readonly onStep?: StepHook<M> | readonly StepHook<M>[];
  /** Saves checkpoints and resumes from the newest (`diskCheckpoints(dir)` of `@albert-ts/trainer/node`). */
  readonly checkpoint?: Checkpointer<M>;
  /** Stops between two steps when aborted (status `interrupted`, a checkpoint is saved): Ctrl-C, a UI button. */
  readonly signal?: AbortSignal;
  /** Where records go (default: in memory); `metricsFile(path)` of the node entry writes JSON Lines. */
  readonly metrics?: MetricsLog;
  /** The caller's settings stored in checkpoints; resuming with different ones is refused. */
  readonly run?: Readonly<Record<string, unknown>>;
  /** Tokens in one batch, for throughput (`tokens_per_s` records) and `tokensSeen`. */
  readonly tokensPerBatch?: number;
  /** Write a `train` record every N steps (default 1; the last step always). */
  readonly logEvery?: number;
  /** More options for `model.compute` in training, e.g. `{ heads: ['mlm'] }` to train only some heads of an ALBERT. */
  readonly computeOptions?: Readonly<Record<string, unknown>>;
  /** Dispose each batch's tensors after its step (default true: `train` owns the batches it draws). */
  readonly disposeBatches?: boolean;
}

/** Outcome of {@link train}. */
export interface TrainResult {
  /** `completed`: reached the last step; `stopped`: a hook returned 'stop'; `interrupted`: the signal aborted. */
  readonly status: 'completed' | 'stopped' | 'interrupted';
  /** Optimizer steps done in total. */
  readonly step: number;
  /** Step this invocation started from. */
  readonly resumedFrom: number;
  /** Location of the newest checkpoint (undefined without a checkpointer or before any save). */
  readonly checkpoint?: string;
  /** Every metrics record of the run (resumed history included). */
  readonly records: readonly MetricsRecord[];
  /** Tokens seen in total and wall time spent in total (across resumes). */
  readonly tokensSeen: number;
  readonly elapsedSeconds: number;
  /** Mean throughput of this invocation (0 without `tokensPerBatch`). */
  readonly tokensPerSecond: number;
}

/** Lets the event loop run (signal handlers, stream writes, a worker's messages) between two steps. */
const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

function validate<M>(o: TrainOptions<M>): number {
  if (typeof o.optimizer?.applyGradients !== 'function') throw new TrainerError('optimizer: an Optimizer is required', { field: 'optimizer' });
  if (typeof o.schedule === 'object') validateSchedule(o.schedule);
  else if (typeof o.schedule !== 'function') throw new TrainerError('schedule: an object or a function of the step is required', { field: 'schedule' });
  const steps = o.steps ?? (typeof o.schedule === 'object' ? o.schedule.totalSteps : undefined);
  if (steps === undefined) throw new TrainerError('steps: required with a function schedule', { field: 'steps' });
  checkInteger('steps', steps, 1);
  checkInteger('accumulate', o.accumulate, 1);
  checkInteger('logEvery', o.logEvery, 1);
  checkInteger('seed', o.seed, 0);
  checkInteger('checkpoint.every', o.checkpoint?.every, 1);
  checkPositive('clipNorm', o.clipNorm);
  checkPositive('tokensPerBatch', o.tokensPerBatch);
  return steps;
}

/**
 * Trains `model` on `batches`: each step draws `accumulate` batches and runs {@link trainStep} (gradients with
 * dropout, mean, global-norm clip, one optimizer update at the scheduled rate). Checkpoints, resume, metrics,
 * interruption and step hooks plug in through the options; a non-finite loss stops the run before it changes a
 * weight ({@link NonFiniteLossError}). Works with any {@link TrainableModel} and never picks a backend.
 *
 * ```ts
 * const model = createPretrainingModel(config, { embeddings: factorized(), sharing: mySharing, objectives: [mlm()] });
 * await train(model, batches, { optimizer: new Lamb(), schedule: { learningRate: 1e-3, totalSteps: 20 } });
 * ```
 */
export async function train<B, M extends TrainableModel<B>>(
  model: M, batches: Batches<B>, options: TrainOptions<M>,
): Promise<TrainResult> {
  const steps = validate(options);
  const accumulate = options.accumulate ?? 1;
  const clipNorm = options.clipNorm ?? 1.0;
  const seed = options.seed ?? 0;
  const optimizer = options.optimizer;
  const source = toBatchSource(batches);
  const log = options.metrics ?? new MetricsLog();
  const hooks = options.onStep === undefined ? [] : Array.isArray(options.onStep) ? options.onStep : [options.onStep as StepHook<M>];
  const params = model.namedParameters();
  const run: Record<string, unknown> = {
    ...options.run, steps, optimizer: optimizer.name, ...optimizer.hyperparameters, accumulate, clipNorm, seed,
    ...(typeof options.schedule === 'object' ? { schedule: options.schedule } : {}),
  };

  let step = 0;
  let tokensSeen = 0;
  let elapsedBefore = 0;
  let checkpoint: string | undefined;
  let savedStep = -1;
  const saved = await options.checkpoint?.latest(model);
  if (saved !== undefined) {
    checkResumeCompatible(saved.state.run, run);
    saved.restore(model);
    optimizer.importSlots(saved.slots, new Map([...params].map(([n, v]) => [n, v.shape])));
    ({ step, tokensSeen, elapsedSeconds: elapsedBefore } = saved.state);
    if (source.restore !== undefined) source.restore(saved.state.dataCursor);
    else for (let i = 0; i < step * accumulate; i++) disposeBatch(await source.next()); // replay a plain iterable
    log.reset(saved.state.metrics);
    checkpoint = saved.location;
    savedStep = step;
  } else {
    log.reset([]);
    log.write({ type: 'event', step: 0, event: 'start', backend: tf.getBackend(), parameters: countParameters(params), run });
  }
  const resumedFrom = step;
  const started = Date.now();
  const runView: TrainRun<M> = {
    model, totalSteps: steps, resumedFrom, records: log.records,
    get step() { return step; },
    get lastCheckpoint() { return checkpoint === undefined ? undefined : { location: checkpoint, step: savedStep }; },
    log: (record) => log.write(record),
  };
  const save = async (): Promise<void> => {
    if (options.checkpoint === undefined || savedStep === step) return;
    const state: TrainerState = {
      formatVersion: TRAINER_STATE_VERSION, step, optimizer: optimizer.name, run, dataCursor: source.state?.() ?? null,
      tokensSeen, elapsedSeconds: elapsedBefore + (Date.now() - started) / 1000, metrics: log.records,
    };
    checkpoint = await options.checkpoint.save(model, state, optimizer.exportSlots());
    savedStep = step;
  };

  await options.onStart?.(runView);
  let status: TrainResult['status'] = 'completed';
  let tokensThisRun = 0;
  while (step < steps) {
    await yieldToEventLoop();
    if (options.signal?.aborted) { status = 'interrupted'; break; }
    const t0 = Date.now();
    const micro: B[] = [];
    let r: TrainStepResult & { lr: number };
    try {
      for (let m = 0; m < accumulate; m++) micro.push(await source.next());
      const lr = rateAt(options.schedule, step);
      r = { lr, ...await trainStepAsync(model, micro, {
        optimizer, learningRate: lr, clipNorm, parameters: params, computeOptions: options.computeOptions,
        dropoutSeeds: micro.map((_, m) => deriveSeed(seed, SEED_KEYS.dropout, step, m)),
      }) };
    } finally {
      if (options.disposeBatches ?? true) micro.forEach(disposeBatch);
    }
    if (!r.applied) {
      log.write({ type: 'event', step: step + 1, event: 'non-finite-loss', loss: String(r.loss) });
      throw new NonFiniteLossError(step + 1, r.loss, checkpoint);
    }
    step += 1;
    const seconds = (Date.now() - t0) / 1000;
    const tokens = (options.tokensPerBatch ?? 0) * accumulate;
    tokensSeen += tokens;
    tokensThisRun += tokens;
    if (step % (options.logEvery ?? 1) === 0 || step === steps) {
      log.write({
        type: 'train', step, loss: r.loss, lr: r.lr, grad_norm: r.gradNorm, ...r.metrics,
        ...(tokens > 0 ? { tokens_per_s: tokens / Math.max(seconds, 1e-9) } : {}),
      });
    }
    const info: StepInfo = { step, totalSteps: steps, loss: r.loss, lr: r.lr, gradNorm: r.gradNorm, metrics: r.metrics, seconds, tokens };
    let stop = false;
    for (const hook of hooks) if ((await hook(info, runView)) === 'stop') stop = true;
    if (stop) { status = 'stopped'; break; }
    if (options.checkpoint?.every !== undefined && step % options.checkpoint.every === 0 && step !== steps) await save();
  }
  if (step > 0) await save();
  const seconds = (Date.now() - started) / 1000;
  return {
    status, step, resumedFrom, checkpoint, records: log.records, tokensSeen,
    elapsedSeconds: elapsedBefore + seconds, tokensPerSecond: tokensThisRun / Math.max(seconds, 1e-9),
  };
}

function countParameters(params: Map<string, tf.Variable>): number {
  let n = 0;
  for (const v of params.values()) n += v.size;
  return n;
}
