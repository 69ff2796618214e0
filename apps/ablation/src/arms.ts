// Groups runs that differ only by seed into "arms" and summarises a metric per arm with a 95% interval:
// the binomial (Wilson) interval of the single run for one seed, a Student-t interval across seeds otherwise.
import { type RunResult, SENTENCE_KEYS, type SentenceKey } from './results.js';
import { type Estimate, newcombeDiff, tInterval, tIntervalFromSummary, welchDiff } from './stats.js';

/** Metrics a claim can be decided on (`random:<task>`: the random-init twin's fine-tuned accuracy). */
export type Metric = 'mlm_acc' | SentenceKey | 'layer_cosine_deg' | 'layer_l2' | `downstream:${string}` | `random:${string}`;

/** Runs of one configuration (all seeds). */
export interface Arm {
  key: string;
  study: RunResult['study'];
  label: string;
  runs: RunResult[];
}

/** Key identifying a configuration regardless of seed. */
export function armKey(r: RunResult): string {
  return `${r.study}|${r.label}`;
}

/** Groups runs into arms, preserving first-seen order. */
export function groupArms(runs: readonly RunResult[]): Arm[] {
  const m = new Map<string, Arm>();
  for (const r of runs) {
    const k = armKey(r);
    let a = m.get(k);
    if (!a) {
      a = { key: k, study: r.study, label: r.label, runs: [] };
      m.set(k, a);
    }
    a.runs.push(r);
  }
  return [...m.values()];
}

/** One run's value of a metric with its within-run 95% interval (binomial, or t over tokens for geometry). */
export function runEstimate(r: RunResult, metric: Metric): Estimate | undefined {
  if (metric === 'mlm_acc' || (SENTENCE_KEYS as readonly string[]).includes(metric)) {
    const a = r.intrinsic[metric as 'mlm_acc' | SentenceKey];
    if (!a || !Number.isFinite(a.acc)) return undefined;
    return { value: a.acc, lo: a.ci95[0], hi: a.ci95[1], n: a.n, method: 'wilson' };
  }
  if (metric === 'layer_cosine_deg' || metric === 'layer_l2') {
    if (r.layers.length === 0) return undefined;
    const key = metric === 'layer_l2' ? 'l2' : 'cosine_deg';
    const sdKey = metric === 'layer_l2' ? 'l2_sd' : 'cosine_deg_sd';
    const mean = r.layers.reduce((s, l) => s + l[key], 0) / r.layers.length;
    // The per-layer means use the same tokens, so the sd of the layer average is at most the mean of the sds.
    const sd = r.layers.reduce((s, l) => s + l[sdKey], 0) / r.layers.length;
    return tIntervalFromSummary(mean, sd, Math.min(...r.layers.map((l) => l.tokens)));
  }
  if (metric.startsWith('random:')) {
    const a = r.downstream_random_init?.[metric.slice('random:'.length)];
    return a ? { value: a.acc, lo: a.ci95[0], hi: a.ci95[1], n: a.n, method: 'wilson' } : undefined;
  }
  const task = metric.slice('downstream:'.length);
  const v = r.downstream[task];
  const ci = r.downstream_ci95?.[task];
  if (v === undefined || !ci) return undefined;
  return { value: v, lo: ci.ci95[0], hi: ci.ci95[1], n: ci.n, method: 'wilson' };
}

/** Arm estimate: the run's own interval for one seed, mean ± t-interval across seeds for several. */
export function armEstimate(arm: Arm, metric: Metric): Estimate | undefined {
  const ests = arm.runs.map((r) => runEstimate(r, metric)).filter((e): e is Estimate => e !== undefined);
  if (ests.length === 0) return undefined;
  if (ests.length === 1) return ests[0];
  return tInterval(ests.map((e) => e.value));
}

/** 95% interval of the difference `a - b` (Newcombe for single runs, Welch across seeds). */
export function armDiff(a: Arm, b: Arm, metric: Metric): Estimate | undefined {
  const ea = a.runs.map((r) => runEstimate(r, metric)).filter((e): e is Estimate => e !== undefined);
  const eb = b.runs.map((r) => runEstimate(r, metric)).filter((e): e is Estimate => e !== undefined);
  if (ea.length === 0 || eb.length === 0) return undefined;
  if (ea.length >= 2 && eb.length >= 2) return welchDiff(ea.map((e) => e.value), eb.map((e) => e.value));
  const A = armEstimate(a, metric)!;
  const B = armEstimate(b, metric)!;
  return newcombeDiff(A, B);
}
