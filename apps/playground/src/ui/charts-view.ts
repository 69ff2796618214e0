// Loss/accuracy curves and the Figure 1 geometry, as the ablation report draws them (@albert-ts/analysis specs,
// rendered to SVG by Vega). Curves overlay every run of the session (side-by-side mode trains A then B).
import { type CurvePoint, curvesSpec, figure1Spec, type GeometryPoint, renderSvg } from '@albert-ts/analysis';
import type { LayerPoint } from '../protocol.js';
import { h } from './dom.js';

/** The metrics the curves facet, in order. */
export const CURVE_METRICS = ['loss', 'mlm_accuracy', 'sop_accuracy', 'nsp_accuracy'] as const;

/** Renders a chart into `target` (latest call wins when renders overlap). */
class ChartSlot {
  private version = 0;
  constructor(readonly element: HTMLElement, private readonly empty: string) {
    element.append(h('p', { class: 'empty' }, empty));
  }
  async render(spec: Parameters<typeof renderSvg>[0] | null): Promise<void> {
    const v = ++this.version;
    if (spec === null) {
      this.element.replaceChildren(h('p', { class: 'empty' }, this.empty));
      return;
    }
    const svg = await renderSvg(spec);
    if (v === this.version) this.element.innerHTML = svg;
  }
}

/** Training curves, one line per run; redrawn as steps arrive (at most one redraw waits while one renders). */
export class CurvesView {
  readonly element: HTMLElement;
  private readonly chart: ChartSlot;
  private points: CurvePoint[] = [];
  private drawing: Promise<void> | null = null;
  private dirty = false;

  constructor() {
    const box = h('div', { class: 'chart', 'data-testid': 'curves-chart' });
    this.chart = new ChartSlot(box, 'No training run yet: press Train.');
    this.element = h('section', { id: 'curves' }, h('h2', {}, 'Loss and accuracy'), box);
  }

  /** Adds a step's metrics for `run` and redraws. */
  add(run: string, step: number, metrics: Record<string, number>): Promise<void> {
    for (const metric of CURVE_METRICS) {
      const value = metrics[metric];
      if (value !== undefined && Number.isFinite(value)) this.points.push({ run, x: step, metric, value });
    }
    return this.redraw();
  }

  /** Removes the runs `drop` selects (a slot whose model was replaced) and redraws. */
  remove(drop: (run: string) => boolean): Promise<void> {
    this.points = this.points.filter((p) => !drop(p.run));
    return this.redraw();
  }

  private redraw(): Promise<void> {
    this.dirty = true;
    this.drawing ??= (async () => {
      try {
        while (this.dirty) {
          this.dirty = false;
          const metrics = CURVE_METRICS.filter((m) => this.points.some((p) => p.metric === m));
          await this.chart.render(this.points.length === 0 ? null
            : curvesSpec(this.points, { title: 'Training curves', xTitle: 'step', metrics }));
        }
      } finally {
        this.drawing = null;
      }
    })();
    return this.drawing;
  }
}

/** Figure 1 geometry, one line per slot. */
export class GeometryView {
  readonly element: HTMLElement;
  private readonly chart: ChartSlot;
  private readonly runs = new Map<string, GeometryPoint[]>();

  constructor(onMeasure: () => void) {
    const box = h('div', { class: 'chart', 'data-testid': 'geometry-chart' });
    this.chart = new ChartSlot(box, 'Not measured yet.');
    const button = h('button', { type: 'button', onclick: onMeasure, 'data-testid': 'geometry-button' }, 'Measure');
    this.element = h('section', { id: 'geometry' },
      h('h2', {}, 'Figure 1: how much each layer changes its input'),
      h('p', { class: 'hint' }, 'Mean L2 distance and angle between the input and output of every layer, over the non-padding tokens of 32 held-out sequences. Shared layers give smoother curves in the paper, after training.'),
      button, box);
  }

  /** Sets the layers of one run (keyed by `run`; its sharing strategy sets the dashes) and redraws. */
  set(run: string, sharing: string, layers: readonly LayerPoint[]): Promise<void> {
    this.runs.set(run, layers.map((l) => ({ run, sharing, layer: l.layer, l2: l.l2, angle: l.angle })));
    return this.redraw();
  }

  /** Keeps only the given runs. */
  keep(runs: readonly string[]): Promise<void> {
    for (const k of [...this.runs.keys()]) if (!runs.includes(k)) this.runs.delete(k);
    return this.redraw();
  }

  private redraw(): Promise<void> {
    const points = [...this.runs.values()].flat();
    return this.chart.render(points.length === 0 ? null : figure1Spec(points, { title: 'Input vs output of each layer' }));
  }
}
