import { DataError } from './errors.js';
import { Rng, checkSeed } from './rng.js';

/** Serialisable position of a {@link BatchIterator}: resume with `restore(state)` to get the identical stream. */
export interface BatchCursor {
  /** Epoch number, from 0. */
  epoch: number;
  /** Index of the next example within the epoch's permutation. */
  index: number;
  /** Seed of the shuffle; each epoch's permutation is `Rng(seed, 'epoch', epoch)`. */
  seed: number;
}

/** Options of {@link BatchIterator}. */
export interface BatchIteratorOptions {
  batchSize: number;
  seed: number;
  /** Shuffle each epoch (default true). */
  shuffle?: boolean;
  /** Drop the last, smaller batch of an epoch (default true, so every batch has a static shape). */
  dropRemainder?: boolean;
}

/**
 * Endless shuffling batch iterator over an in-memory dataset. The permutation of an epoch is a pure function of
 * `(seed, epoch)`, so the cursor `{epoch, index, seed}` is all a trainer has to save to resume the data stream
 * exactly, on any machine.
 */
export class BatchIterator<T> {
  private epoch = 0;
  private index = 0;
  private perm: Int32Array | null = null;
  private readonly batchSize: number;
  private readonly seed: number;
  private readonly shuffle: boolean;
  private readonly dropRemainder: boolean;

  constructor(private readonly data: ArrayLike<T>, options: BatchIteratorOptions) {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new DataError(`batchSize must be a positive integer, got ${batchSize}`);
    try { checkSeed(options.seed); } catch (e) { throw new DataError((e as Error).message); }
    this.dropRemainder = options.dropRemainder ?? true;
    if (data.length === 0) throw new DataError('cannot iterate batches over an empty dataset');
    if (this.dropRemainder && data.length < batchSize) throw new DataError(`dataset has ${data.length} examples, fewer than batchSize ${batchSize} (dropRemainder is on)`);
    this.batchSize = batchSize;
    this.seed = options.seed;
    this.shuffle = options.shuffle ?? true;
  }

  /** The cursor to save (a copy). */
  state(): BatchCursor {
    return { epoch: this.epoch, index: this.index, seed: this.seed };
  }

  /** Moves to a saved cursor; its seed must equal this iterator's. */
  restore(c: BatchCursor): void {
    if (c.seed !== this.seed) throw new DataError(`cursor seed ${c.seed} does not match iterator seed ${this.seed}`);
    if (!Number.isInteger(c.epoch) || c.epoch < 0) throw new DataError(`cursor epoch must be a non-negative integer, got ${c.epoch}`);
    if (!Number.isInteger(c.index) || c.index < 0 || c.index > this.data.length) throw new DataError(`cursor index must be an integer in [0, ${this.data.length}], got ${c.index}`);
    if (c.epoch !== this.epoch) this.perm = null;
    this.epoch = c.epoch;
    this.index = c.index;
  }

  private permutation(): Int32Array {
    if (this.perm === null) {
      const p = Array.from({ length: this.data.length }, (_, i) => i);
      if (this.shuffle) new Rng(this.seed, 'epoch', this.epoch).shuffle(p);
      this.perm = Int32Array.from(p);
    }
    return this.perm;
  }

  /**
   * This iterator with each batch passed through `fn`, e.g. `(rows) => toBatchTensors(rows, T, P)`; the cursor is
   * still this iterator's. The result is a batch source for `@albert-ts/trainer`'s `train` (exact resume).
   */
  map<U>(fn: (batch: T[]) => U): { next(): U; state(): BatchCursor; restore(cursor: BatchCursor): void } {
    return { next: () => fn(this.next()), state: () => this.state(), restore: (cursor) => this.restore(cursor) };
  }

  /** The next batch (advances the cursor; rolls over to the next epoch when the current one is used up). */
  next(): T[] {
    const n = this.data.length;
    const left = n - this.index;
    if (left <= 0 || (this.dropRemainder && left < this.batchSize)) {
      this.epoch++;
      this.index = 0;
      this.perm = null;
    }
    const perm = this.permutation();
    const end = Math.min(n, this.index + this.batchSize);
    const out: T[] = [];
    for (let i = this.index; i < end; i++) out.push(this.data[perm[i]]);
    this.index = end;
    return out;
  }
}
