import * as tf from '@tensorflow/tfjs-core';
import { SeedStream } from './seed.js';

/** Per-call state threaded through every layer's `apply`: training flag and the dropout seed stream. */
export interface ApplyContext {
  /** Dropout is active only when true. */
  readonly training: boolean;
  /** Inverted dropout with probability `rate` (identity when not training or rate = 0); seeded per call. */
  dropout<T extends tf.Tensor>(x: T, rate: number): T;
}

/**
 * Creates an {@link ApplyContext}. With `training` true, each dropout call draws the next seed of a stream started
 * at `dropoutSeed`, so the same seed reproduces the same masks.
 */
export function createApplyContext(opts: { training?: boolean; dropoutSeed?: number } = {}): ApplyContext {
  const training = opts.training ?? false;
  const seeds = new SeedStream(opts.dropoutSeed ?? 0);
  return {
    training,
    dropout<T extends tf.Tensor>(x: T, rate: number): T {
      if (!training || rate <= 0) return x;
      return tf.dropout(x, rate, undefined, seeds.next()) as T;
    },
  };
}
