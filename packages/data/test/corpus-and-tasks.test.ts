import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { hashString } from '@albert-ts/core';
import { expectNoLeaks } from '@albert-ts/testing';
import { describe, expect, it } from 'vitest';
import {
  BatchIterator, DataError, type PairEncoder, type TaskExample, disposeBatch, encodeExamples, exampleBatch, loadCorpus,
  openCorpus, resolveInstanceOptions,
} from '../src/index.js';

describe('corpora by name', () => {
  it('openCorpus: a bundled name, a path, or a DataError naming the field', async () => {
    const sotu = openCorpus('sotu', { split: 'validation' });
    expect(Array.isArray(sotu) && sotu.length > 0).toBe(true);
    const err = (() => { try { openCorpus('/no/such/corpus'); } catch (e) { return e; } })() as DataError;
    expect(err).toBeInstanceOf(DataError);
    expect(err.field).toBe('corpus');
    expect(err.message).toMatch(/^corpus: '\/no\/such\/corpus' is neither a bundled corpus \(sotu, moby-dick, spam-assassin, mixture\)/);
  });

  it('loadCorpus holds out documents by content hash (and at least 2)', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'albert-data-')), 'c.txt');
    const docs = Array.from({ length: 30 }, (_, i) => [`Document ${i} starts here.`, `It has a second line ${i * 7}.`]);
    fs.writeFileSync(file, docs.map((d) => d.join('\n')).join('\n\n') + '\n');
    const { train, heldOut } = await loadCorpus(file);
    expect(train.length + heldOut.length).toBe(30);
    const byHash = docs.filter((d) => hashString(d.join('\n')) % 10 === 0).length;
    expect(heldOut.length).toBe(Math.max(2, byHash));
    await expect(loadCorpus(path.join(path.dirname(file), 'missing.txt'))).rejects.toThrow(DataError);
  });
});

describe('task examples as batches', () => {
  /** A toy encoder: one id per word (its length + 10), [CLS]=2 ... [SEP]=3, padded with 0. */
  const toy: PairEncoder = {
    encode(text, pair, { maxLength }) {
      const words = (s: string) => s.split(' ').map((w) => w.length + 10);
      const ids = [2, ...words(text), 3, ...(pair === undefined ? [] : [...words(pair), 3])].slice(0, maxLength);
      const types = ids.map((_, i) => (pair !== undefined && i > words(text).length + 1 ? 1 : 0));
      const pad = maxLength - ids.length;
      return {
        inputIds: [...ids, ...new Array(pad).fill(0)], tokenTypeIds: [...types, ...new Array(pad).fill(0)],
        attentionMask: [...ids.map(() => 1), ...new Array(pad).fill(0)],
      };
    },
  };
  const examples: TaskExample[] = [
    { text: 'a bb', label: 1, doc: 'x' }, { text: 'ccc', textPair: 'd', label: 0, doc: 'y' }, { text: 'e', label: 1, doc: 'z' },
  ];

  it('encodeExamples + exampleBatch: [B, T] rows, labels as sentenceLabel, no MLM targets, no leaks', async () => {
    await tf.setBackend('cpu');
    const enc = encodeExamples(toy, examples, 6);
    expect(Array.from(enc.inputIds.subarray(6, 12))).toEqual([2, 13, 3, 11, 3, 0]);
    expect(Array.from(enc.tokenTypeIds.subarray(6, 12))).toEqual([0, 0, 0, 1, 1, 0]);
    expect(Array.from(enc.labels)).toEqual([1, 0, 1]);
    expectNoLeaks(() => {
      const b = exampleBatch(enc, [2, 1]);
      expect(b.inputIds.shape).toEqual([2, 6]);
      expect(Array.from(b.inputIds.dataSync()).slice(0, 3)).toEqual([2, 11, 3]);
      expect(Array.from(b.sentenceLabel.dataSync())).toEqual([1, 0]);
      expect(b.mlmPositions.shape).toEqual([2, 0]);
      disposeBatch(b);
    });
    expect(() => encodeExamples(toy, examples, 1)).toThrow(DataError);
  });

  it('BatchIterator.map keeps the cursor: a restored stream yields the same batches', () => {
    const a = new BatchIterator([1, 2, 3, 4, 5], { batchSize: 2, seed: 3 }).map((rows) => rows.join(','));
    a.next(); a.next();
    const cursor = a.state();
    const rest = [a.next(), a.next(), a.next()];
    const b = new BatchIterator([1, 2, 3, 4, 5], { batchSize: 2, seed: 3 }).map((rows) => rows.join(','));
    b.restore(cursor);
    expect([b.next(), b.next(), b.next()]).toEqual(rest);
  });
});

describe('instance defaults (the one place they are set)', () => {
  it('maxPredictionsPerSeq defaults to min(20, maxSeqLength), maskedLmProb to 0.15, dupeFactor to 1', () => {
    expect(resolveInstanceOptions({ objective: 'sop', maxSeqLength: 128, seed: 1 })).toMatchObject({ maxPredictionsPerSeq: 20, maskedLmProb: 0.15, dupeFactor: 1 });
    expect(resolveInstanceOptions({ objective: 'sop', maxSeqLength: 16, seed: 1 }).maxPredictionsPerSeq).toBe(16);
  });
});
