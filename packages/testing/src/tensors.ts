import * as tf from '@tensorflow/tfjs-core';

/** Nested number arrays of any depth (JSON fixture values). */
export type Nested = number | Nested[];

/** Flattens a nested array in row-major order. */
export function flatten(x: Nested): number[] {
  if (typeof x === 'number') return [x];
  const out: number[] = [];
  const walk = (v: Nested) => {
    if (typeof v === 'number') out.push(v);
    else for (const e of v) walk(e);
  };
  walk(x);
  return out;
}

/** Shape of a (rectangular) nested array. */
export function shapeOf(x: Nested): number[] {
  const shape: number[] = [];
  let v: Nested = x;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

/**
 * Max |actual - expected| over all elements; throws if the shapes differ (a shape bug must not pass as a small
 * difference). NaN anywhere gives Infinity.
 */
export function maxAbsDiff(actual: tf.Tensor | ArrayLike<number>, expected: Nested, actualShape?: number[]): number {
  const exp = flatten(expected);
  const expShape = shapeOf(expected);
  let data: ArrayLike<number>;
  if (actual instanceof tf.Tensor) {
    if (actual.shape.join(',') !== expShape.join(',')) {
      throw new Error(`shape mismatch: actual [${actual.shape}] vs expected [${expShape}]`);
    }
    data = actual.dataSync();
  } else {
    if (actualShape && actualShape.join(',') !== expShape.join(',')) {
      throw new Error(`shape mismatch: actual [${actualShape}] vs expected [${expShape}]`);
    }
    data = actual;
  }
  if (data.length !== exp.length) throw new Error(`length mismatch: ${data.length} vs ${exp.length}`);
  let max = 0;
  for (let i = 0; i < exp.length; i++) {
    const d = Math.abs(data[i] - exp[i]);
    if (Number.isNaN(d)) return Infinity;
    if (d > max) max = d;
  }
  return max;
}

/**
 * Runs `fn` and throws unless it leaves exactly `keeps` tensors behind (default 0): `tf.memory().numTensors`
 * after = before + keeps. Returns what `fn` returns (a promise for an async `fn`, checked once it settles), so a
 * test checks a result and its memory in one line: `const r = expectNoLeaks(() => model.compute(batch).loss
 * .dataSync()[0])`. The one leak check of the test suites.
 */
export function expectNoLeaks<T>(fn: () => Promise<T>, opts?: { keeps?: number }): Promise<T>;
export function expectNoLeaks<T>(fn: () => T, opts?: { keeps?: number }): T;
export function expectNoLeaks<T>(fn: () => T | Promise<T>, opts: { keeps?: number } = {}): T | Promise<T> {
  const before = tf.memory().numTensors;
  const check = (): void => {
    const after = tf.memory().numTensors;
    const expected = before + (opts.keeps ?? 0);
    if (after !== expected) {
      const what = after > expected ? 'leaked' : 'freed';
      throw new Error(`expected numTensors ${expected} after the call, got ${after} (${what} ${Math.abs(after - expected)})`);
    }
  };
  const result = fn();
  if (result instanceof Promise) return result.then((r) => { check(); return r; });
  check();
  return result;
}
