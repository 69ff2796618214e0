import { DataError } from './errors.js';
import type { TaskExample } from './tasks.js';

/**
 * The tokenizer call a task needs: HF `tokenizer(text, text_pair, max_length=T, truncation=True,
 * padding='max_length')`. `@albert-ts/tokenizer`'s `AlbertTokenizer` satisfies it.
 */
export interface PairEncoder {
  encode(
    text: string, textPair: string | undefined,
    options: { maxLength: number; truncation: true; padding: 'max_length' },
  ): { inputIds: number[]; tokenTypeIds: number[]; attentionMask: number[] };
}

/** Encoded examples of one split: `[N, T]` ids, token types and masks as flat row-major arrays, and labels `[N]`. */
export interface EncodedExamples {
  readonly n: number;
  readonly t: number;
  readonly inputIds: Int32Array;
  readonly tokenTypeIds: Int32Array;
  readonly attentionMask: Int32Array;
  readonly labels: Int32Array;
}

/** Encodes task examples as `[CLS] text [SEP] (pair [SEP])`, truncated and padded to `maxSeqLength`. */
export function encodeExamples(tokenizer: PairEncoder, examples: readonly TaskExample[], maxSeqLength: number): EncodedExamples {
  if (!Number.isInteger(maxSeqLength) || maxSeqLength < 2) {
    throw new DataError(`maxSeqLength must be an integer >= 2, got ${maxSeqLength}`, { field: 'maxSeqLength', value: maxSeqLength });
  }
  const n = examples.length;
  const t = maxSeqLength;
  const out = {
    n, t, inputIds: new Int32Array(n * t), tokenTypeIds: new Int32Array(n * t), attentionMask: new Int32Array(n * t),
    labels: new Int32Array(n),
  };
  examples.forEach((e, i) => {
    const enc = tokenizer.encode(e.text, e.textPair, { maxLength: t, truncation: true, padding: 'max_length' });
    out.inputIds.set(enc.inputIds.slice(0, t), i * t);
    out.tokenTypeIds.set(enc.tokenTypeIds.slice(0, t), i * t);
    out.attentionMask.set(enc.attentionMask.slice(0, t), i * t);
    out.labels[i] = e.label;
  });
  return out;
}
