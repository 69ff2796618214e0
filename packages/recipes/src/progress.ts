import {
  type ProgressReporter, type StepHook, type TextOutput, createProgressReporter,
} from '@albert-ts/trainer';

/** Where a recipe's progress goes: a stream (default `process.stderr`) or `false` for none. */
export type ProgressOption = TextOutput | false;

/**
 * A progress reporter on `output` and the step hook that feeds it (step, loss, lr, tokens/s and ETA from a moving
 * average of the step time): one redrawn line on a TTY, a plain line every 10 steps otherwise.
 */
export function progressHook(output: ProgressOption | undefined): { reporter: ProgressReporter; hook: StepHook<unknown> } {
  const reporter = createProgressReporter(output === false ? { write: () => true } : (output ?? process.stderr), 10);
  let stepTime = 0;
  return {
    reporter,
    hook: (info) => {
      stepTime = stepTime === 0 ? info.seconds : 0.9 * stepTime + 0.1 * info.seconds;
      reporter.step({
        step: info.step, totalSteps: info.totalSteps, loss: info.loss, learningRate: info.lr,
        tokensPerSecond: info.tokens / Math.max(stepTime, 1e-9), etaSeconds: (info.totalSteps - info.step) * stepTime,
      });
    },
  };
}
