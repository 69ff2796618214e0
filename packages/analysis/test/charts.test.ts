// The shared Vega-Lite specs compile and render to SVG with every run and facet in it.
import { describe, expect, it } from 'vitest';
import { curvesSpec, figure1Spec, renderSvg } from '../src/index.js';

describe('charts', () => {
  it('curves: one facet per metric in the given order, one line per run; non-finite values dropped', async () => {
    const points = [
      { run: 'all-shared', x: 1, metric: 'loss', value: 7.5 }, { run: 'all-shared', x: 2, metric: 'loss', value: 7.1 },
      { run: 'not-shared', x: 1, metric: 'loss', value: 7.4 }, { run: 'not-shared', x: 2, metric: 'loss', value: Number.NaN },
      { run: 'all-shared', x: 2, metric: 'mlm_accuracy', value: 0.05 },
    ];
    const spec = curvesSpec(points, { title: 'curves', xTitle: 'step', metrics: ['loss', 'mlm_accuracy'] }) as { data: { values: unknown[] } };
    expect(spec.data.values).toHaveLength(4);
    const svg = await renderSvg(spec as never);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of ['curves', 'step', 'all-shared', 'not-shared', 'loss', 'mlm_accuracy']) expect(svg).toContain(text);
  });

  it('figure 1: L2 and angle facets, a line per run', async () => {
    const svg = await renderSvg(figure1Spec(
      [1, 2, 3].flatMap((layer) => [
        { run: 'A', sharing: 'all-shared', layer, l2: layer, angle: 10 * layer },
        { run: 'B', sharing: 'not-shared', layer, l2: 2 * layer, angle: 5 * layer },
      ]),
      { title: 'Figure 1', subtitle: 'provenance' },
    ));
    for (const text of ['Figure 1', 'provenance', 'L2 distance', 'angle (degrees)', 'all-shared', 'not-shared']) expect(svg).toContain(text);
  });
});
