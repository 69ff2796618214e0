import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { expectNoLeaks } from '@albert-ts/testing';
import { BatchIterator, DataError, disposeBatch, toBatchArrays, toBatchTensors, type PretrainingInstance } from '../src/index.js';

const inst = (n: number, positions: number[], label: 0 | 1 | null): PretrainingInstance => ({
  inputIds: Array.from({ length: n }, (_, i) => (i === 0 ? 2 : i === n - 1 ? 3 : 10 + i)),
  tokenTypeIds: Array.from({ length: n }, (_, i) => (i > n / 2 ? 1 : 0)),
  maskedLmPositions: positions,
  maskedLmIds: positions.map((p) => 100 + p),
  label, doc: 'd', docB: 'd',
});

describe('toBatchArrays / toBatchTensors', () => {
  const xs = [inst(5, [1, 3], 1), inst(3, [], 0), inst(6, [2], null)];

  it('pads to static shapes like the reference writer', () => {
    const a = toBatchArrays(xs, 6, 3);
    expect(Array.from(a.inputIds)).toEqual([2, 11, 12, 13, 3, 0, /**/ 2, 11, 3, 0, 0, 0, /**/ 2, 11, 12, 13, 14, 3]);
    expect(Array.from(a.attentionMask)).toEqual([1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(a.tokenTypeIds)).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(Array.from(a.mlmPositions)).toEqual([1, 3, 0, 0, 0, 0, 2, 0, 0]);
    expect(Array.from(a.mlmIds)).toEqual([101, 103, 0, 0, 0, 0, 102, 0, 0]);
    expect(Array.from(a.mlmWeights)).toEqual([1, 1, 0, 0, 0, 0, 1, 0, 0]);
    expect(Array.from(a.sentenceLabel)).toEqual([1, 0, -1]);
  });

  it('makes int32/float32 tensors of shape [B,T], [B,P], [B] without leaking', () => {
    expectNoLeaks(() => {
      const b = toBatchTensors(xs, 8, 4);
      expect(b.inputIds.shape).toEqual([3, 8]);
      expect(b.inputIds.dtype).toBe('int32');
      expect(b.mlmPositions.shape).toEqual([3, 4]);
      expect(b.mlmWeights.dtype).toBe('float32');
      expect(b.sentenceLabel.shape).toEqual([3]);
      expect(Array.from(b.sentenceLabel.dataSync())).toEqual([1, 0, -1]);
      disposeBatch(b);
    });
  });

  it('rejects instances that do not fit', () => {
    expect(() => toBatchArrays(xs, 5, 3)).toThrow(/6 tokens, more than maxSeqLength 5/);
    expect(() => toBatchArrays(xs, 6, 1)).toThrow(DataError);
    expect(() => toBatchArrays([], 6, 1)).toThrow(/0 instances/);
  });
});

describe('BatchIterator', () => {
  const data = Array.from({ length: 10 }, (_, i) => i);

  it('visits every example once per epoch in a seeded order, dropping the remainder', () => {
    const it1 = new BatchIterator(data, { batchSize: 3, seed: 5 });
    const epoch0 = [it1.next(), it1.next(), it1.next()].flat();
    expect(new Set(epoch0).size).toBe(9);
    expect(it1.state()).toEqual({ epoch: 0, index: 9, seed: 5 });
    const b = it1.next();
    expect(it1.state()).toEqual({ epoch: 1, index: 3, seed: 5 });
    expect(b).toHaveLength(3);
    expect(epoch0).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const plain = new BatchIterator(data, { batchSize: 4, seed: 5, shuffle: false, dropRemainder: false });
    expect([plain.next(), plain.next(), plain.next()]).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it('resumes exactly from a saved cursor (through JSON)', () => {
    const a = new BatchIterator(data, { batchSize: 4, seed: 9 });
    for (let i = 0; i < 5; i++) a.next();
    const cursor = JSON.parse(JSON.stringify(a.state()));
    const rest = Array.from({ length: 7 }, () => a.next());
    const b = new BatchIterator(data, { batchSize: 4, seed: 9 });
    b.restore(cursor);
    expect(Array.from({ length: 7 }, () => b.next())).toEqual(rest);
    expect(() => b.restore({ ...cursor, seed: 1 })).toThrow(/seed/);
    expect(() => b.restore({ ...cursor, index: 11 })).toThrow(/index/);
  });

  it('rejects bad options', () => {
    expect(() => new BatchIterator([], { batchSize: 2, seed: 0 })).toThrow(DataError);
    expect(() => new BatchIterator(data, { batchSize: 0, seed: 0 })).toThrow(/batchSize/);
    expect(() => new BatchIterator(data, { batchSize: 11, seed: 0 })).toThrow(/fewer than batchSize/);
  });
});
