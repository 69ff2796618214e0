import type { StepHook } from '@albert-ts/trainer';
import { aboveWithDisjointIntervals } from '../interval.js';
import type { MlmBaseline } from './baseline.js';

/** Options of {@link mlmBaselineWarning}. */
export interface MlmBaselineWarningOptions {
  /** The most-frequent-token baseline of the held-out MLM targets the evaluation scores ({@link MlmBaseline}). */
  readonly baseline: MlmBaseline;
  /** Steps of the run. */
  readonly totalSteps: number;
  /** Peak learning rate of the schedule (named in the warning; the rate of the step itself may have decayed). */
  readonly peakLearningRate: number;
  /** Fraction of the run after which an evaluation still at the baseline warns (e.g. 0.25). */
  readonly after: number;
  /** Where the warning goes (one line). */
  readonly warn: (line: string) => void;
}

/** Event of the warning in the metrics (`{"type":"event","event":"mlm-at-baseline",...}`). */
export const MLM_AT_BASELINE = 'mlm-at-baseline';

/**
 * A step hook (placed after the evaluation hook) that warns once when, at an evaluation after `after` of the run,
 * held-out MLM accuracy has not left the most-frequent-token rate: its Wilson 95% interval over the `total` targets
 * does not lie above the baseline's. Such a run has learned unigram statistics at best, usually because the learning
 * rate is wrong for the model (both too high and too low do this). The warning is also logged as an event, so a
 * resumed run does not repeat it.
 */
export function mlmBaselineWarning(options: MlmBaselineWarningOptions): StepHook<unknown> {
  const { baseline, totalSteps, peakLearningRate, after, warn } = options;
  const from = Math.ceil(after * totalSteps);
  return (info, run) => {
    const last = run.records.at(-1);
    if (info.step < from || last?.type !== 'eval' || last.step !== info.step || typeof last['mlm_accuracy'] !== 'number') return;
    if (run.records.some((r) => r.event === MLM_AT_BASELINE)) return;
    const accuracy = last['mlm_accuracy'];
    if (aboveWithDisjointIntervals(Math.round(accuracy * baseline.total), baseline.count, baseline.total)) return;
    run.log({ type: 'event', step: info.step, event: MLM_AT_BASELINE, mlm_accuracy: accuracy, mlm_baseline: baseline.rate });
    warn(`warning: after ${info.step} of ${totalSteps} steps, held-out MLM accuracy ${accuracy.toFixed(4)} has not left the ` +
      `most-frequent-token rate ${baseline.rate.toFixed(4)} (${baseline.total} targets); the peak learning rate ${peakLearningRate.toExponential(2)} ` +
      'is likely wrong for this model (too high or too low): compare rates with a sweep before training longer');
  };
}
