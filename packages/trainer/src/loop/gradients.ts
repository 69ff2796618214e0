import * as tf from '@tensorflow/tfjs-core';

/**
 * Loss and gradients of `lossFn` with respect to named variables. `lossFn` returns the scalar loss plus any
 * scalar metrics to keep; every other tensor it creates is freed. Gradients come back keyed by the caller's names
 * (tfjs keys them by engine variable name).
 */
export function namedGradients(
  params: Map<string, tf.Variable>,
  lossFn: () => { loss: tf.Scalar; metrics: Record<string, tf.Scalar> },
): { loss: number; metrics: Record<string, number>; grads: Map<string, tf.Tensor> } {
  const names = [...params.keys()];
  const vars = names.map((n) => params.get(n)!);
  let metricTensors: Record<string, tf.Scalar> = {};
  const { value, grads } = tf.variableGrads(() => {
    const r = lossFn();
    // keep the metric scalars alive past variableGrads' tidy
    metricTensors = Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, tf.keep(v)]));
    return r.loss;
  }, vars);
  const out = new Map<string, tf.Tensor>();
  names.forEach((n, i) => {
    const g = grads[vars[i].name];
    if (g !== undefined) out.set(n, g);
  });
  // A variable the loss does not reach gets no gradient from tfjs. Metrics may alias the loss tensor (a single
  // head's loss is both): read everything first, then dispose each tensor once.
  const loss = value.dataSync()[0];
  const metrics: Record<string, number> = {};
  for (const [k, t] of Object.entries(metricTensors)) metrics[k] = t.dataSync()[0];
  tf.dispose([...new Set<tf.Tensor>([value, ...Object.values(metricTensors)])]);
  return { loss, metrics, grads: out };
}
