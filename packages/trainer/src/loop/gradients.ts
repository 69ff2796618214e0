import * as tf from '@tensorflow/tfjs-core';

/** Loss, metrics and gradients of one micro-batch as tensors (the caller reads and disposes them). */
export interface GradientTensors {
  loss: tf.Scalar;
  /** May alias `loss` (a single head's loss is both): dispose each tensor once. */
  metrics: Record<string, tf.Scalar>;
  grads: Map<string, tf.Tensor>;
}

/**
 * Loss and gradients of `lossFn` with respect to named variables, without reading anything back (so a GPU
 * backend is never made to wait). `lossFn` returns the scalar loss plus any scalar metrics to keep; every other
 * tensor it creates is freed. Gradients come back keyed by the caller's names (tfjs keys them by engine variable
 * name); a variable the loss does not reach gets no gradient.
 */
export function gradientTensors(
  params: Map<string, tf.Variable>,
  lossFn: () => { loss: tf.Scalar; metrics: Record<string, tf.Scalar> },
): GradientTensors {
  const names = [...params.keys()];
  const vars = names.map((n) => params.get(n)!);
  let metrics: Record<string, tf.Scalar> = {};
  const { value, grads } = tf.variableGrads(() => {
    const r = lossFn();
    // keep the metric scalars alive past variableGrads' tidy
    metrics = Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, tf.keep(v)]));
    return r.loss;
  }, vars);
  const out = new Map<string, tf.Tensor>();
  names.forEach((n, i) => {
    const g = grads[vars[i].name];
    if (g !== undefined) out.set(n, g);
  });
  return { loss: value, metrics, grads: out };
}

/** {@link gradientTensors} with the loss and metrics read back as numbers (synchronously). */
export function namedGradients(
  params: Map<string, tf.Variable>,
  lossFn: () => { loss: tf.Scalar; metrics: Record<string, tf.Scalar> },
): { loss: number; metrics: Record<string, number>; grads: Map<string, tf.Tensor> } {
  const r = gradientTensors(params, lossFn);
  // Read everything first, then dispose each tensor once (metrics may alias the loss).
  const loss = r.loss.dataSync()[0];
  const metrics: Record<string, number> = {};
  for (const [k, t] of Object.entries(r.metrics)) metrics[k] = t.dataSync()[0];
  tf.dispose([...new Set<tf.Tensor>([r.loss, ...Object.values(r.metrics)])]);
  return { loss, metrics, grads: r.grads };
}
