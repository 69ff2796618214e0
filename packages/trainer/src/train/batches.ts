import * as tf from '@tensorflow/tfjs-core';
import { TrainerError } from '../errors.js';

/**
 * A stream of batches with an optional position: `state()` is stored in checkpoints and `restore(state)` puts a
 * fresh stream back there, so a resumed run sees exactly the batches an uninterrupted one would
 * (`new BatchIterator(instances, opts).map(toTensors)` of `@albert-ts/data` is one).
 */
export interface BatchSource<B> {
  next(): B | Promise<B>;
  state?(): unknown;
  restore?(state: unknown): void;
}

/** What `train` accepts as batches: a {@link BatchSource}, or any (async) iterable such as an array or a generator. */
export type Batches<B> = BatchSource<B> | Iterable<B> | AsyncIterable<B>;

function isIterable<B>(x: Batches<B>): x is Iterable<B> {
  return typeof (x as Iterable<B>)[Symbol.iterator] === 'function';
}

function isAsyncIterable<B>(x: Batches<B>): x is AsyncIterable<B> {
  return typeof (x as AsyncIterable<B>)[Symbol.asyncIterator] === 'function';
}

/** Normalises {@link Batches} to a {@link BatchSource}; an iterable that runs out is a {@link TrainerError}. */
export function toBatchSource<B>(batches: Batches<B>): BatchSource<B> {
  if (isIterable(batches) || isAsyncIterable(batches)) {
    const it = isAsyncIterable(batches) ? batches[Symbol.asyncIterator]() : batches[Symbol.iterator]();
    let drawn = 0;
    return {
      async next() {
        const r = await it.next();
        if (r.done) throw new TrainerError(`batches: the stream ended after ${drawn} batches, before the last step`, { field: 'batches', value: drawn });
        drawn++;
        return r.value;
      },
    };
  }
  if (typeof (batches as BatchSource<B>).next !== 'function') {
    throw new TrainerError('batches: must be an iterable, an async iterable or an object with next()', { field: 'batches' });
  }
  return batches;
}

/** Disposes every tensor in a batch (a tensor, or arrays/objects of tensors). */
export function disposeBatch(batch: unknown): void {
  tf.dispose(batch as tf.TensorContainer);
}
