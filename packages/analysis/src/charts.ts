// Vega-Lite specs of the charts the ablation report and the playground share (learning curves and the Figure 1
// geometry), and a headless renderer to SVG strings that works in Node and in browsers (no canvas, no DOM).
import * as vega from 'vega';
import * as vl from 'vega-lite';

/** The Vega-Lite schema every spec declares. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** One point of a learning curve: `value` of `metric` for `run` at `x` (tokens seen, or step). */
export interface CurvePoint {
  run: string;
  x: number;
  metric: string;
  value: number;
}

/** Options of {@link curvesSpec}. */
export interface CurvesOptions {
  title: string;
  /** Provenance line (preset, backend, version). */
  subtitle?: string;
  /** Axis title of `x`, e.g. `tokens seen` or `step`. */
  xTitle: string;
  /** Facet order of the metrics (default: order of first appearance). */
  metrics?: readonly string[];
  /** Size of one facet (default 190 × 150). */
  width?: number;
  height?: number;
}

/** Learning curves: one facet per metric, one coloured line per run, independent y scales. */
export function curvesSpec(points: readonly CurvePoint[], opts: CurvesOptions): vl.TopLevelSpec {
  const values = points.filter((p) => Number.isFinite(p.value)).map((p) => ({ ...p }));
  const metrics = opts.metrics ?? [...new Set(values.map((p) => p.metric))];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: opts.subtitle === undefined ? opts.title : { text: opts.title, subtitle: opts.subtitle },
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', sort: [...metrics], title: null } },
    spec: {
      width: opts.width ?? 190,
      height: opts.height ?? 150,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: opts.xTitle },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'run', type: 'nominal', title: 'run' },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/** Geometry of one layer of one run, for {@link figure1Spec}. */
export interface GeometryPoint {
  run: string;
  /** Sharing strategy (line dashes). */
  sharing: string;
  /** 1-based layer. */
  layer: number;
  /** Mean L2 distance between the layer's input and output. */
  l2: number;
  /** Mean angle in degrees between them. */
  angle: number;
}

/** Figure 1 of the paper: per-layer L2 distance and angle, one line per run, dashes by sharing strategy. */
export function figure1Spec(points: readonly GeometryPoint[], opts: { title: string; subtitle?: string }): vl.TopLevelSpec {
  const values = points.flatMap((p) => [
    { run: p.run, sharing: p.sharing, layer: p.layer, measure: 'L2 distance', value: p.l2 },
    { run: p.run, sharing: p.sharing, layer: p.layer, measure: 'angle (degrees)', value: p.angle },
  ]);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: opts.subtitle === undefined ? opts.title : { text: opts.title, subtitle: opts.subtitle },
    data: { values },
    facet: { column: { field: 'measure', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: 180,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'layer', type: 'ordinal', title: 'layer' },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: true } },
        color: { field: 'run', type: 'nominal', title: 'run' },
        strokeDash: { field: 'sharing', type: 'nominal', title: 'sharing' },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/** Compiles a Vega-Lite spec and renders it to an SVG string (headless, renderer 'none'). */
export async function renderSvg(spec: vl.TopLevelSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
