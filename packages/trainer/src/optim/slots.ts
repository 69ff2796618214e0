import * as tf from '@tensorflow/tfjs-core';
import { TrainerError } from '../errors.js';

/** A named float32 tensor copied out of the backend: the unit of optimizer-state export/import. */
export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

/**
 * Adam-style first/second moment slots for a set of named parameters, created lazily (zeros) the first time a
 * parameter is updated. Slot names follow the TF convention `<param>/adam_m` and `<param>/adam_v`.
 */
export class MomentSlots {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

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

  /** Copies every slot out as `<param>/adam_m` / `<param>/adam_v` float32 arrays (sorted by name). */
  export(): Map<string, NamedArray> {
    const out = new Map<string, NamedArray>();
    for (const name of [...this.m.keys()].sort()) {
      const m = this.m.get(name)!;
      const v = this.v.get(name)!;
      out.set(`${name}/adam_m`, { shape: [...m.shape], data: Float32Array.from(m.dataSync() as Float32Array) });
      out.set(`${name}/adam_v`, { shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) });
    }
    return out;
  }

  /**
   * Replaces all slots with `slots` (as produced by {@link export}). Each entry must come in an m/v pair; a slot
   * whose parameter has a different shape is rejected when `shapes` is given.
   */
  import(slots: Map<string, NamedArray>, shapes?: Map<string, number[]>): void {
    this.dispose();
    for (const [key, arr] of slots) {
      const match = /^(.*)\/adam_([mv])$/.exec(key);
      if (match === null) throw new TrainerError(`optimizer slot '${key}' is not named '<param>/adam_m|adam_v'`);
      const [, name, which] = match;
      const expected = shapes?.get(name);
      if (shapes !== undefined && expected === undefined) {
        throw new TrainerError(`optimizer slot '${key}' names an unknown parameter '${name}'`);
      }
      if (expected !== undefined && expected.join(',') !== arr.shape.join(',')) {
        throw new TrainerError(`optimizer slot '${key}' has shape [${arr.shape}], parameter has [${expected}]`);
      }
      const size = arr.shape.reduce((a, b) => a * b, 1);
      if (arr.data.length !== size) {
        throw new TrainerError(`optimizer slot '${key}' has ${arr.data.length} values for shape [${arr.shape}]`);
      }
      const variable = tf.tidy(() => tf.variable(tf.tensor(arr.data, arr.shape, 'float32'), false));
      (which === 'm' ? this.m : this.v).set(name, variable);
    }
    for (const name of new Set([...this.m.keys(), ...this.v.keys()])) {
      if (!this.m.has(name) || !this.v.has(name)) {
        this.dispose();
        throw new TrainerError(`optimizer slots for '${name}' are incomplete (need both adam_m and adam_v)`);
      }
    }
  }

  /** Frees every slot variable. */
  dispose(): void {
    for (const x of this.m.values()) x.dispose();
    for (const x of this.v.values()) x.dispose();
    this.m.clear();
    this.v.clear();
  }
}
