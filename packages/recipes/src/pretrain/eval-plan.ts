// How often, and on how many held-out pairs, `pretrain` evaluates by default: from the measured time of a training
// step and of evaluating one sequence, so that evaluation costs at most a share (10%) of the projected training time.

/** When `pretrain` evaluates: every `every` steps (0: only at the end), on `pairs` pairs of each held-out set. */
export interface EvalPlan {
  readonly every: number;
  readonly pairs: number;
}

/** The measurements a plan is made from. */
export interface EvalCosts {
  /** Optimizer steps of the whole run. */
  readonly steps: number;
  /** Seconds of one training step (measured on the first steps). */
  readonly stepSeconds: number;
  /** Seconds to evaluate one held-out sequence (measured on a batch of each set). */
  readonly sequenceSeconds: number;
  /** Pairs in each held-out set (SOP and NSP; one pair is one sequence). */
  readonly pairs: number;
  /** Share of the projected training time evaluation may take (default {@link DEFAULT_EVAL_SHARE}). */
  readonly share?: number;
}

/** Share of the training time the default evaluation plan may spend. */
export const DEFAULT_EVAL_SHARE = 0.1;
/** Most evaluations (the last included) of a default plan: a curve, not a cost. */
export const MAX_PLANNED_EVALS = 10;
/** Fewest pairs per set a default plan shrinks the held-out sets to (the MLM interval needs targets). */
export const MIN_PLANNED_PAIRS = 64;
/** Training steps timed before the plan is made (the first one, a warm-up, is left out when there are more). */
export const PLAN_AFTER_STEPS = 5;

/** Seconds one evaluation of `pairs` pairs per set takes at these costs. */
export function evalSeconds(c: Pick<EvalCosts, 'sequenceSeconds'>, pairs: number): number {
  return 2 * pairs * c.sequenceSeconds;
}

/**
 * The default plan: as many full evaluations as fit in `share` of the projected training time (`steps ×
 * stepSeconds`), the last one at the end, at most {@link MAX_PLANNED_EVALS}, evenly spaced. When not even the final
 * one fits, only the final one runs, on the first pairs of each set that fit (at least {@link MIN_PLANNED_PAIRS}).
 */
export function planEvaluations(c: EvalCosts): EvalPlan {
  const budget = (c.share ?? DEFAULT_EVAL_SHARE) * c.steps * c.stepSeconds;
  const full = evalSeconds(c, c.pairs);
  const affordable = full > 0 ? Math.floor(budget / full) : MAX_PLANNED_EVALS;
  if (affordable >= 1) {
    const evals = Math.min(affordable, MAX_PLANNED_EVALS, c.steps);
    return { every: evals > 1 ? Math.ceil(c.steps / evals) : 0, pairs: c.pairs };
  }
  const fit = Math.floor(budget / evalSeconds(c, 1));
  return { every: 0, pairs: Math.min(c.pairs, Math.max(MIN_PLANNED_PAIRS, fit)) };
}
