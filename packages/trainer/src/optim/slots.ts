import * as tf from '@tensorflow/tfjs-core';
import { TrainerError } from '../errors.js';

/** A named float32 tensor copied out of the backend: the unit of optimizer-state export/import. */
export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

/**
 * Adam-style first/second moment slots for a set of named parameters, created lazily (zeros) the first time a
 * parameter is updated. Slot names follow the TF convention `<param>/adam_m` and `<param>/adam_v`. With
 * `countSteps`, each parameter also has its update count `t` (torch's `state['step']`), exported as `<param>/step`
 * (a float32 scalar: exact up to 2^24 updates), so a bias-corrected optimizer resumes exactly.
 */
export class MomentSlots {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private readonly steps = new Map<string, number>();

  constructor(private readonly countSteps = false) {}

  /** The (m, v) variables of `name`, created as zeros of `shape` on first use. */
  get(name: string, shape: number[]): { m: tf.Variable; v: tf.Variable } {
    let m = this.m.get(name);
    let v = this.v.get(name);
    if (m === undefined || v === undefined) {
      // Unnamed variables: tfjs variable names are process-global, and two runs may share parameter names.
      m = tf.tidy(() => tf.variable(tf.zeros(shape, 'float32'), false));
      v = tf.tidy(() => tf.variable(tf.zeros(shape, 'float32'), false));
      this.m.set(name, m);
      this.v.set(name, v);
    }
    return { m, v };
  }

  /** Counts one more update of `name` and returns the count (1 for its first update). */
  tick(name: string): number {
    const t = (this.steps.get(name) ?? 0) + 1;
    this.steps.set(name, t);
    return t;
  }

  /** Copies every slot out as `<param>/adam_m`, `<param>/adam_v` (and `<param>/step`) float32 arrays, by name. */
  export(): Map<string, NamedArray> {
    const out = new Map<string, NamedArray>();
    for (const name of [...this.m.keys()].sort()) {
      const m = this.m.get(name)!;
      const v = this.v.get(name)!;
      out.set(`${name}/adam_m`, { shape: [...m.shape], data: Float32Array.from(m.dataSync() as Float32Array) });
      out.set(`${name}/adam_v`, { shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) });
      if (this.countSteps) out.set(`${name}/step`, { shape: [], data: Float32Array.of(this.steps.get(name) ?? 0) });
    }
    return out;
  }

  /**
   * Replaces all slots with `slots` (as produced by {@link export}). Each parameter needs its m/v pair, and with
   * `countSteps` its step count (and without, none: slots of a bias-corrected optimizer are refused, and the other
   * way round, because continuing with the other update would not be the same run). A slot whose parameter has a
   * different shape is rejected when `shapes` is given.
   */
  import(slots: Map<string, NamedArray>, shapes?: Map<string, number[]>): void {
    this.dispose();
    try {
      for (const [key, arr] of slots) this.importOne(key, arr, shapes);
      for (const name of new Set([...this.m.keys(), ...this.v.keys(), ...this.steps.keys()])) {
        if (!this.m.has(name) || !this.v.has(name)) {
          throw new TrainerError(`optimizer slots for '${name}' are incomplete (need both adam_m and adam_v)`);
        }
        if (this.countSteps && !this.steps.has(name)) {
          throw new TrainerError(`optimizer slots for '${name}' have no step count (saved by an optimizer without bias correction?)`);
        }
      }
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  private importOne(key: string, arr: NamedArray, shapes?: Map<string, number[]>): void {
    const match = /^(.*)\/(adam_m|adam_v|step)$/.exec(key);
    if (match === null) throw new TrainerError(`optimizer slot '${key}' is not named '<param>/adam_m|adam_v|step'`);
    const [, name, which] = match;
    const expected = shapes?.get(name);
    if (shapes !== undefined && expected === undefined) {
      throw new TrainerError(`optimizer slot '${key}' names an unknown parameter '${name}'`);
    }
    if (which === 'step') {
      const t = arr.data[0];
      if (!this.countSteps) throw new TrainerError(`optimizer slot '${key}' is a step count, saved by a bias-corrected optimizer`);
      if (arr.data.length !== 1 || !(Number.isInteger(t) && t >= 0)) {
        throw new TrainerError(`optimizer slot '${key}' must hold one non-negative integer, got [${Array.from(arr.data.slice(0, 4))}]`);
      }
      this.steps.set(name, t);
      return;
    }
    if (expected !== undefined && expected.join(',') !== arr.shape.join(',')) {
      throw new TrainerError(`optimizer slot '${key}' has shape [${arr.shape}], parameter has [${expected}]`);
    }
    const size = arr.shape.reduce((a, b) => a * b, 1);
    if (arr.data.length !== size) {
      throw new TrainerError(`optimizer slot '${key}' has ${arr.data.length} values for shape [${arr.shape}]`);
    }
    const variable = tf.tidy(() => tf.variable(tf.tensor(arr.data, arr.shape, 'float32'), false));
    (which === 'adam_m' ? this.m : this.v).set(name, variable);
  }

  /** Frees every slot variable and forgets the step counts. */
  dispose(): void {
    for (const x of this.m.values()) x.dispose();
    for (const x of this.v.values()) x.dispose();
    this.m.clear();
    this.v.clear();
    this.steps.clear();
  }
}
