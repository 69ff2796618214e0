import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors.js';
import { SeedStream } from './seed.js';

/** How a new parameter is initialised. `normal` = truncated normal (±2σ) with σ = `initializer_range`. */
export type ParamInit = 'normal' | 'zeros' | 'ones';

/**
 * Memory layout relative to HF/torch. `linear`: a Linear weight stored `[in, out]` here (so `y = x W + b` is an
 * untransposed matMul) and `[out, in]` in torch checkpoints; `plain`: identical layout (biases, LayerNorm,
 * embedding tables).
 */
export type ParamLayout = 'linear' | 'plain';

/** Creates named trainable variables; passed to embedding modules, encoder layers and objective heads. */
export interface ParameterFactory {
  /**
   * Creates and registers a trainable variable. `name` is the canonical (HF-like, `albert.`-less) name, unique
   * within the model, e.g. `encoder.albert_layer_groups.0.albert_layers.0.attention.query.weight`.
   * Throws {@link ConfigError} if the name is taken.
   */
  create(name: string, shape: number[], init: ParamInit, layout?: ParamLayout): tf.Variable;
}

/** Metadata of one registered parameter. */
export interface ParamInfo {
  readonly name: string;
  readonly variable: tf.Variable;
  readonly layout: ParamLayout;
}

let storeCounter = 0;
const PROCESS_TAG = Math.floor(Math.random() * 36 ** 4).toString(36);

/**
 * Owns the variables of one model. Each tfjs variable gets a globally unique engine name
 * (`albert<N>_<tag>/<canonical name>`) so several models can coexist; {@link ParameterStore.named} is keyed by the
 * canonical name.
 */
export class ParameterStore implements ParameterFactory {
  private readonly params = new Map<string, ParamInfo>();
  private readonly prefix: string;
  private readonly seeds: SeedStream;
  private disposed = false;

  /**
   * @param initializerRange σ of the truncated-normal initializer.
   * @param seed Seed of the initializer stream (same seed + same creation order = same weights).
   */
  constructor(private readonly initializerRange: number, seed = 0) {
    // A per-process random tag keeps names unique even if two copies of this module are loaded.
    this.prefix = `albert${storeCounter++}_${PROCESS_TAG}/`;
    this.seeds = new SeedStream(seed);
  }

  create(name: string, shape: number[], init: ParamInit, layout: ParamLayout = 'plain'): tf.Variable {
    if (this.params.has(name)) throw new ConfigError('parameter', name, 'is created twice (names must be unique)');
    const seed = this.seeds.next();
    const initial = tf.tidy(() => {
      switch (init) {
        case 'normal': return tf.truncatedNormal(shape, 0, this.initializerRange, 'float32', seed);
        case 'zeros': return tf.zeros(shape, 'float32');
        case 'ones': return tf.ones(shape, 'float32');
      }
    });
    const variable = tf.variable(initial, true, this.prefix + name, 'float32');
    initial.dispose();
    this.params.set(name, { name, variable, layout });
    return variable;
  }

  /** The variable registered under a canonical name (undefined if none). */
  get(name: string): tf.Variable | undefined {
    return this.params.get(name)?.variable;
  }

  /** Metadata of every parameter, in creation order. */
  infos(): ParamInfo[] {
    return [...this.params.values()];
  }

  /** Canonical name → variable, in creation order. */
  named(): Map<string, tf.Variable> {
    return new Map([...this.params].map(([k, v]) => [k, v.variable]));
  }

  /** Sum of the sizes of all variables (each shared variable once). */
  count(): number {
    let n = 0;
    for (const { variable } of this.params.values()) n += variable.size;
    return n;
  }

  /** Disposes every variable; idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const { variable } of this.params.values()) variable.dispose();
  }
}
