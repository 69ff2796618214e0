import { TrainerError } from '../errors.js';
import type { StepHook, StepInfo, TrainRun } from '../train/train.js';

/** Options of {@link collapseMonitor}. */
export interface CollapseMonitorOptions {
  /** Consecutive collapsed steps with a flat loss before the monitor acts (default 25). */
  readonly patience?: number;
  /**
   * A step counts as collapsed when the spread of the pooled `[CLS]` representation across the batch is at most this
   * fraction of its largest value so far (default 0.01).
   */
  readonly spreadRatio?: number;
  /**
   * The loss counts as flat unless the mean over the second half of the last `patience` steps is below the mean over
   * the first half by more than this (nats, default 0.01) plus twice the standard error of that difference (the
   * loss of a constant prediction still varies with each batch's labels).
   */
  readonly flatTolerance?: number;
  /** `stop` (default): throw a {@link CollapseError}. `report`: log a `collapse` event, keep training, report once. */
  readonly action?: 'stop' | 'report';
  /**
   * What to start again from, as the message names it (e.g. the pretrained checkpoint a fine-tuning started from).
   * Default: the newest checkpoint saved before the collapse began, else "the initial weights".
   */
  readonly restartFrom?: string;
}

/** What the monitor saw when it decided that the run had collapsed. */
export interface CollapseReport {
  /** Step at which the collapse was detected. */
  readonly step: number;
  /** First step of the collapsed stretch. */
  readonly since: number;
  /** Mean loss over the last `patience` steps. */
  readonly loss: number;
  /** `pooled_spread` at detection and its largest value before. */
  readonly pooledSpread: number;
  readonly peakPooledSpread: number;
  /** Means over the last `patience` steps of `prediction_entropy` and `top_class_fraction` (NaN when not reported). */
  readonly predictionEntropy: number;
  readonly topClassFraction: number;
  /** Largest learning rate so far, and the suggested lower one (a quarter of it). */
  readonly peakLearningRate: number;
  readonly suggestedLearningRate: number;
  /** What to start again from. */
  readonly restartFrom: string;
  /** The one-line explanation (also the {@link CollapseError} message). */
  readonly message: string;
}

/**
 * Training collapsed: the model maps every input to the same representation and predicts one class, and the loss
 * stopped falling. The likely cause is a learning rate too high for the run; `report` has the details and the
 * checkpoint to start again from. `field` is `schedule.learningRate`, `value` the peak rate.
 */
export class CollapseError extends TrainerError {
  override readonly name = 'CollapseError';

  constructor(readonly report: CollapseReport) {
    super(report.message, { field: 'schedule.learningRate', value: report.peakLearningRate });
  }
}

/**
 * The step metrics the monitor reads (`classifierDiagnostics` of `@albert-ts/objectives` reports them): the first
 * decides, the others are reported with it.
 */
export const COLLAPSE_METRICS = ['pooled_spread', 'prediction_entropy', 'top_class_fraction'] as const;
const [SPREAD, ENTROPY, TOP_CLASS] = COLLAPSE_METRICS;

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Squared standard error of the mean of `xs`. */
const se2 = (xs: readonly number[]) => { const m = mean(xs); return xs.reduce((a, x) => a + (x - m) ** 2, 0) / ((xs.length - 1) * xs.length); };
const fmt = (x: number) => x.toExponential(1);

/**
 * A step hook for `train` that detects a collapsed classifier: for `patience` consecutive steps the spread of the
 * pooled `[CLS]` representation across the batch (`pooled_spread`) is at most `spreadRatio` of its peak, so every
 * input gets the same prediction (one class; in training, dropout on the classifier's input still flips rows whose
 * logits nearly tie, so the per-batch `top_class_fraction` is reported, not required), while the loss is flat. The
 * spread is measured against its own peak, so an untrained model whose representations barely differ yet (and
 * which predicts one class for its first steps, with a flat loss) is not mistaken for a collapsed one.
 *
 * Then it throws a {@link CollapseError} (`action: 'stop'`, a one-line message naming the likely cause and what to
 * start again from) or logs a `collapse` event and records {@link report} (`action: 'report'`). A model whose
 * metrics lack `pooled_spread` is a TrainerError at the first step, not a monitor that never fires. In a resumed
 * run it first replays the `train` records before the checkpoint, so it decides as in an uninterrupted run.
 *
 * ```ts
 * const collapse = collapseMonitor({ restartFrom: 'runs/pretrained' });
 * await train(classifier, batches, { optimizer: new AdamW(), schedule, onStep: [collapse] });
 * ```
 */
export function collapseMonitor(options: CollapseMonitorOptions = {}): StepHook<unknown> & { readonly report: CollapseReport | undefined } {
  const patience = options.patience ?? 25;
  const spreadRatio = options.spreadRatio ?? 0.01;
  const flatTolerance = options.flatTolerance ?? 0.01;
  const check = (field: keyof CollapseMonitorOptions, ok: boolean, rule: string) => {
    if (!ok) throw new TrainerError(`collapseMonitor: ${field}: ${String(options[field])} ${rule}`, { field, value: options[field] });
  };
  check('patience', Number.isInteger(patience) && patience >= 2, 'must be an integer >= 2');
  check('spreadRatio', spreadRatio >= 0 && spreadRatio < 1, 'must be in [0, 1)');
  check('flatTolerance', Number.isFinite(flatTolerance) && flatTolerance >= 0, 'must be a non-negative finite number');
  check('action', options.action === undefined || options.action === 'stop' || options.action === 'report', "must be 'stop' or 'report'");

  let peakSpread = 0;
  let peakLr = 0;
  let since = -1;
  const recent: { loss: number; entropy: number; top: number }[] = [];
  /** Checkpoints seen so far (a run saves them between steps). */
  const checkpoints: { location: string; step: number }[] = [];
  let report: CollapseReport | undefined;

  const detect = (info: Pick<StepInfo, 'step' | 'loss' | 'lr' | 'metrics'>, last: TrainRun<unknown>['lastCheckpoint']): CollapseReport | undefined => {
    if (!Number.isFinite(info.metrics[SPREAD])) {
      throw new TrainerError(`collapseMonitor: the model reports no ${SPREAD} at step ${info.step} (metrics: ${Object.keys(info.metrics).join(', ') || 'none'})`,
        { field: 'metrics', value: SPREAD });
    }
    if (last !== undefined && checkpoints.at(-1)?.step !== last.step) checkpoints.push(last);
    peakLr = Math.max(peakLr, info.lr);
    const spread = info.metrics[SPREAD];
    const collapsed = peakSpread > 0 && spread <= spreadRatio * peakSpread;
    peakSpread = Math.max(peakSpread, spread);
    if (!collapsed) {
      since = -1;
      recent.length = 0;
      return undefined;
    }
    if (since < 0) since = info.step;
    recent.push({ loss: info.loss, entropy: info.metrics[ENTROPY] ?? NaN, top: info.metrics[TOP_CLASS] ?? NaN });
    if (recent.length > patience) recent.shift();
    if (recent.length < patience) return undefined;
    const half = Math.floor(patience / 2);
    const first = recent.slice(0, half).map((r) => r.loss);
    const second = recent.slice(-half).map((r) => r.loss);
    const falling = mean(first) - mean(second) > flatTolerance + 2 * Math.sqrt(half > 1 ? se2(first) + se2(second) : 0);
    if (falling) return undefined;
    const before = checkpoints.filter((c) => c.step < since).at(-1);
    const restartFrom = options.restartFrom ?? before?.location ?? 'the initial weights';
    const loss = mean(recent.map((r) => r.loss));
    const entropy = mean(recent.map((r) => r.entropy));
    const top = mean(recent.map((r) => r.top));
    const suggested = peakLr / 4;
    const seen = [
      Number.isNaN(top) ? '' : `top class ${(100 * top).toFixed(0)}% of each batch`,
      Number.isNaN(entropy) ? '' : `prediction entropy ${entropy.toFixed(3)}`,
    ].filter((x) => x !== '').join(', ');
    const message = `training collapsed at step ${info.step}: since step ${since} the pooled [CLS] spread is ` +
      `${spread.toFixed(4)} (peak ${peakSpread.toFixed(4)}), so every input gets the same prediction` +
      `${seen === '' ? '' : ` (${seen})`}, and the loss has ` +
      `stopped falling (mean ${loss.toFixed(3)} over the last ${patience} steps); the learning rate is likely too high (peak ${fmt(peakLr)}): ` +
      `start again from ${restartFrom} with a lower rate, e.g. ${fmt(suggested)}`;
    return {
      step: info.step, since, loss, pooledSpread: spread, peakPooledSpread: peakSpread, predictionEntropy: entropy, topClassFraction: top,
      peakLearningRate: peakLr, suggestedLearningRate: suggested, restartFrom, message,
    };
  };

  /**
   * A resumed run: the steps before the checkpoint are replayed from its `train` records (one per step with the
   * default `logEvery` of 1), so the monitor decides as it would have in an uninterrupted run. A collapse found
   * there was logged (and acted on) when it happened.
   */
  const replay = (run: TrainRun<unknown>): void => {
    for (const r of run.records) {
      if (report !== undefined) return;
      if (r.type !== 'train' || r.step > run.resumedFrom || !Number.isFinite(r[SPREAD])) continue;
      const metrics = Object.fromEntries(Object.entries(r).filter((e): e is [string, number] => typeof e[1] === 'number'));
      report = detect({ step: r.step, loss: r.loss as number, lr: r.lr as number, metrics }, undefined);
    }
  };
  let replayed = false;

  const hook: StepHook<unknown> = (info, run) => {
    if (!replayed) {
      replayed = true;
      if (run.resumedFrom > 0) replay(run);
    }
    if (report !== undefined) return;
    const found = detect(info, run.lastCheckpoint);
    if (found === undefined) return;
    report = found;
    run.log({
      type: 'event', step: info.step, event: 'collapse', since: found.since, loss: found.loss, pooled_spread: found.pooledSpread,
      peak_pooled_spread: found.peakPooledSpread, prediction_entropy: found.predictionEntropy,
      top_class_fraction: found.topClassFraction, peak_lr: found.peakLearningRate,
    });
    if (options.action !== 'report') throw new CollapseError(found);
  };
  return Object.defineProperty(hook, 'report', { get: () => report, enumerable: true }) as StepHook<unknown> & { readonly report: CollapseReport | undefined };
}
