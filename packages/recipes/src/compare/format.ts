import type { Interval } from '../interval.js';
import type { CompareInitArm, CompareInitResult } from './compare-init.js';

const p3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : x > 0 ? 'inf' : x < 0 ? '-inf' : 'n/a');
const interval = (i: Interval) => `${p3(i.value)} [${p3(i.lo)}, ${p3(i.hi)}]`;

function row(arm: CompareInitArm): string {
  const perSeed = arm.runs.map((r) => `${r.seed}: ${interval(r.accuracy)}${r.collapse === null ? '' : ` collapsed at ${r.collapse.since}`}`).join('; ');
  return `| ${arm.init} | ${interval(arm.accuracy)} | ${perSeed} | ${arm.pooledSpread.toFixed(4)} | ${arm.collapsed}/${arm.runs.length} |`;
}

/**
 * A {@link CompareInitResult} as a Markdown table: per initialisation the mean test accuracy with its Student-t
 * interval across seeds, each seed's accuracy with its Wilson interval, the pooled `[CLS]` spread on the test
 * examples and the collapsed seeds; then the paired difference and the majority baseline.
 */
export function formatCompareInit(r: CompareInitResult): string {
  const steps = r.pretrained.runs[0]?.steps ?? 0;
  const n = r.pretrained.runs[0]?.accuracy.n ?? 0;
  const d = r.difference;
  return [
    `${r.task}: fine-tuned from ${r.model} and from random initialisation, ${r.seeds.length} seeds, ${steps} steps each, ` +
      `${n} test examples (predicting '${r.majority.label}' always scores ${p3(r.majority.rate)})`,
    '',
    '| initialisation | test accuracy, mean [95% t across seeds] | per seed: accuracy [95% Wilson] | pooled [CLS] spread | collapsed |',
    '| --- | --- | --- | --- | --- |',
    row(r.pretrained),
    row(r.random),
    '',
    `pretrained - random: ${d.value >= 0 ? '+' : ''}${interval(d)} (paired by seed, 95% t)`,
  ].join('\n');
}
