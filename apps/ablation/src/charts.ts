// Charts of the report as Vega-Lite specs, compiled and rendered to SVG strings in Node (no browser, no canvas).
// The learning-curve and Figure 1 specs are @albert-ts/analysis's, shared with the playground.
import { VEGA_LITE_SCHEMA as schema, curvesSpec as sharedCurvesSpec, figure1Spec as sharedFigure1Spec, renderSvg } from '@albert-ts/analysis';
import type * as vl from 'vega-lite';
import { type InProgressRun, type Results, type RunResult, SENTENCE_KEYS, type SentenceKey, type Study, pairsOf } from './results.js';
import { groupArms, armEstimate } from './arms.js';

/** A rendered chart. */
export interface Chart {
  id: string;
  title: string;
  /** What the chart shows and which preset/backend/version produced it. */
  caption: string;
  spec: vl.TopLevelSpec;
  svg: string;
}

/** Accuracies measured by any of `runs`: MLM, then the sentence scores under their honest names. */
function metricsOf(runs: readonly RunResult[]): Array<'mlm_acc' | SentenceKey> {
  return ['mlm_acc', ...SENTENCE_KEYS.filter((k) => runs.some((r) => r.intrinsic[k] !== undefined))];
}

function provenance(r: Results): string {
  return `preset ${r.preset} · backend ${r.backend} · albert-ts ${r.versions['albert-ts']}`;
}

/**
 * Learning curves (held-out loss and accuracies against tokens seen) for one study, with the baselines as lines of
 * their own: the most-frequent-token rate on the MLM facet, and the length and punctuation rules of the curve's
 * pairs on each sentence facet.
 */
function curvesSpec(runs: RunResult[], inProgress: InProgressRun[], study: Study, prov: string): vl.TopLevelSpec {
  const metrics = ['loss', ...metricsOf(runs), ...SENTENCE_KEYS.filter((k) => !runs.some((r) => r.intrinsic[k] !== undefined) && inProgress.some((r) => r.curves.some((c) => c[k] !== undefined)))] as const;
  const seeds = new Set([...runs, ...inProgress].map((r) => r.seed));
  const lines = [
    ...runs.map((r) => ({ name: r.label + (seeds.size > 1 ? ` s${r.seed}` : ''), curves: r.curves })),
    ...inProgress.map((r) => ({ name: `${r.label}${seeds.size > 1 ? ` s${r.seed}` : ''} (in progress)`, curves: r.curves })),
  ];
  const points = lines.flatMap((l) =>
    l.curves.flatMap((c) =>
      metrics
        .filter((m) => typeof c[m] === 'number')
        .map((m) => ({ run: l.name, x: c.tokens, metric: m, value: c[m] as number })),
    ),
  );
  const xs = lines.flatMap((l) => l.curves.map((c) => c.tokens));
  const span = xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [];
  const first = lines[0]?.curves;
  for (const c of first ?? []) if (c.mlm_baseline !== undefined) points.push({ run: 'baseline: most-frequent token', x: c.tokens, metric: 'mlm_acc', value: c.mlm_baseline });
  const cues = runs.find((r) => r.curve_cues)?.curve_cues;
  if (cues) {
    for (const m of metrics.filter((k): k is SentenceKey => (SENTENCE_KEYS as readonly string[]).includes(k))) {
      const set = cues[pairsOf(m)];
      for (const x of span) {
        points.push({ run: 'baseline: length rule', x, metric: m, value: set.length_rule });
        points.push({ run: 'baseline: punctuation rule', x, metric: m, value: set.punctuation_rule });
      }
    }
  }
  return sharedCurvesSpec(points, {
    title: `${study} study: curves vs tokens seen`, subtitle: prov, xTitle: 'tokens seen', metrics,
  });
}

/** Accuracy bars with 95% intervals for one study (per arm: mean across seeds or the single run). */
function barsSpec(runs: RunResult[], study: Study, prov: string): vl.TopLevelSpec {
  const metrics = metricsOf(runs);
  const values = groupArms(runs).flatMap((a) =>
    metrics.map((m) => {
      const e = armEstimate(a, m);
      return e ? { arm: a.label, metric: m, value: e.value, lo: Math.max(0, e.lo), hi: Math.min(1, e.hi) } : undefined;
    }).filter((x) => x !== undefined),
  );
  return {
    $schema: schema,
    title: { text: `${study} study: held-out accuracy with 95% intervals`, subtitle: prov },
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', sort: [...metrics], title: null } },
    spec: {
      width: 190,
      height: 170,
      layer: [
        { mark: 'bar', encoding: { x: { field: 'arm', type: 'nominal', title: null, sort: null }, y: { field: 'value', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } }, color: { field: 'arm', type: 'nominal', legend: null } } },
        { mark: { type: 'rule', color: 'black' }, encoding: { x: { field: 'arm', type: 'nominal', sort: null }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      ],
    },
  };
}

/** Runs of the embedding and sharing studies with geometry, one per (E, sharing) of the first seed. */
export function uniqueGeometryRuns(runs: RunResult[]): RunResult[] {
  const seen = new Set<string>();
  const firstSeed = Math.min(...runs.map((r) => r.seed));
  return runs.filter((r) => {
    const k = `${r.variant.embeddingSize}|${r.variant.sharing}|${r.variant.objective}`;
    if (r.study === 'objective' || r.layers.length === 0 || r.seed !== firstSeed || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Figure 1 analogue: per-layer L2 distance and angle, shared vs not-shared. */
function figure1Spec(runs: RunResult[], prov: string): vl.TopLevelSpec {
  const points = uniqueGeometryRuns(runs).flatMap((r) =>
    r.layers.map((l, i) => ({
      run: `E=${r.variant.embeddingSize} ${r.variant.sharing}`, sharing: r.variant.sharing, layer: i + 1, l2: l.l2, angle: l.cosine_deg,
    })),
  );
  return sharedFigure1Spec(points, { title: 'Figure 1 analogue: input vs output embedding of each layer', subtitle: prov });
}

/** Parameters against held-out MLM accuracy (with 95% intervals), every arm of every study. */
function paramsSpec(runs: RunResult[], prov: string): vl.TopLevelSpec {
  const values = groupArms(runs).flatMap((a) => {
    const e = armEstimate(a, 'mlm_acc');
    return e ? [{ arm: `${a.study}: ${a.label}`, study: a.study, params: a.runs[0].params, acc: e.value, lo: e.lo, hi: e.hi }] : [];
  });
  return {
    $schema: schema,
    title: { text: 'Parameters vs held-out MLM accuracy (95% intervals)', subtitle: prov },
    data: { values },
    width: 480,
    height: 260,
    layer: [
      { mark: { type: 'rule' }, encoding: { x: { field: 'params', type: 'quantitative', scale: { type: 'log' }, title: 'parameters (log)' }, y: { field: 'lo', type: 'quantitative', title: 'MLM accuracy' }, y2: { field: 'hi' }, color: { field: 'study', type: 'nominal' } } },
      { mark: { type: 'point', filled: true, size: 60 }, encoding: { x: { field: 'params', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'acc', type: 'quantitative' }, color: { field: 'study', type: 'nominal' }, shape: { field: 'study', type: 'nominal' }, tooltip: [{ field: 'arm' }, { field: 'params' }, { field: 'acc', format: '.3f' }] } },
    ],
  };
}

/** Downstream (fine-tuned) accuracy with 95% intervals. */
function downstreamSpec(runs: RunResult[], prov: string): vl.TopLevelSpec {
  const values = runs.flatMap((r) =>
    Object.entries(r.downstream).flatMap(([task, acc]) => {
      const run = `${r.study}: ${r.label}${r.seed ? ` s${r.seed}` : ''}`;
      const rnd = r.downstream_random_init?.[task];
      return [
        { run, task, acc, lo: r.downstream_ci95?.[task]?.ci95[0] ?? acc, hi: r.downstream_ci95?.[task]?.ci95[1] ?? acc },
        ...(rnd ? [{ run: `${run} (random init)`, task, acc: rnd.acc, lo: rnd.ci95[0], hi: rnd.ci95[1] }] : []),
      ];
    }),
  );
  return {
    $schema: schema,
    title: { text: 'Fine-tuned downstream accuracy (95% intervals)', subtitle: prov },
    data: { values },
    facet: { column: { field: 'task', type: 'nominal', title: null } },
    spec: {
      width: 220,
      height: { step: 14 },
      layer: [
        { mark: 'bar', encoding: { y: { field: 'run', type: 'nominal', title: null, sort: null }, x: { field: 'acc', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } }, color: { field: 'run', type: 'nominal', legend: null } } },
        { mark: { type: 'rule', color: 'black' }, encoding: { y: { field: 'run', type: 'nominal', sort: null }, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
      ],
    },
  };
}

/** Builds and renders every chart of a report. Studies without runs get no chart. */
export async function buildCharts(results: Results): Promise<Chart[]> {
  const prov = provenance(results);
  const out: Array<Omit<Chart, 'svg'>> = [];
  for (const study of ['embedding', 'sharing', 'objective'] as const) {
    const runs = results.runs.filter((r) => r.study === study);
    const inProgress = (results.in_progress ?? []).filter((r) => r.study === study);
    if (runs.length + inProgress.length > 0) {
      out.push({
        id: `curves-${study}`,
        title: `${study} study: loss and accuracy curves`,
        caption: `Held-out MLM loss and accuracy, and each sentence head's accuracy on length-matched pairs, against tokens seen; one line per run (runs not finished yet: "in progress"), and the baselines (most-frequent token; length and punctuation rules of the same pairs) as lines of their own (${prov}).`,
        spec: curvesSpec(runs, inProgress, study, prov),
      });
    }
    if (runs.length === 0) continue;
    out.push({
      id: `bars-${study}`,
      title: `${study} study: accuracy with 95% intervals`,
      caption: `Final held-out accuracies; whiskers are 95% intervals (Wilson for one seed, Student t across seeds) (${prov}).`,
      spec: barsSpec(runs, study, prov),
    });
  }
  if (results.runs.some((r) => r.study !== 'objective' && r.layers.length > 0)) {
    out.push({
      id: 'figure1',
      title: 'Figure 1 analogue',
      caption: `Mean L2 distance and angle between each layer's input and output on held-out tokens; dashes mark the sharing strategy (${prov}).`,
      spec: figure1Spec(results.runs, prov),
    });
  }
  if (results.runs.length > 0) {
    out.push({ id: 'params-vs-acc', title: 'Parameters vs accuracy', caption: `Exact parameter counts (log scale) against held-out MLM accuracy (${prov}).`, spec: paramsSpec(results.runs, prov) });
  }
  if (results.runs.some((r) => Object.keys(r.downstream).length > 0)) {
    out.push({ id: 'downstream', title: 'Downstream accuracy', caption: `Test accuracy after fine-tuning each pretrained model, and its random-init twin at the same budget (${prov}).`, spec: downstreamSpec(results.runs, prov) });
  }
  const charts: Chart[] = [];
  for (const c of out) charts.push({ ...c, svg: await renderSvg(c.spec) });
  return charts;
}
