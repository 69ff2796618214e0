// Validation of the `--inputs` JSON of `albert forward`: {input_ids, token_type_ids?, attention_mask?} as [B][T] ints.

import { formatValue } from '@albert-ts/errors';
import { UsageError } from './command.js';

/** Validated token inputs, row-major `[B][T]`. */
export interface TokenInputs {
  readonly batchSize: number;
  readonly seqLength: number;
  readonly inputIds: Int32Array;
  readonly tokenTypeIds?: Int32Array;
  readonly attentionMask?: Int32Array;
}

/** Limits from the model config that the ids must respect. */
export interface TokenLimits {
  readonly vocabSize: number;
  readonly typeVocabSize: number;
  readonly maxPositionEmbeddings: number;
}

function matrix(json: Record<string, unknown>, field: string, rows: number | undefined, cols: number | undefined,
  check: (v: number) => string | undefined): { data: Int32Array; rows: number; cols: number } {
  const value = json[field];
  if (!Array.isArray(value) || value.length === 0) {
    throw new UsageError(`inputs: ${field} must be a non-empty [B][T] array of integers`);
  }
  const b = rows ?? value.length;
  if (value.length !== b) throw new UsageError(`inputs: ${field} has ${value.length} rows, expected ${b}`);
  const first = value[0];
  const t = cols ?? (Array.isArray(first) ? first.length : 0);
  if (t === 0) throw new UsageError(`inputs: ${field}[0] must be a non-empty array of integers`);
  const data = new Int32Array(b * t);
  for (let i = 0; i < b; i++) {
    const row = value[i];
    if (!Array.isArray(row)) throw new UsageError(`inputs: ${field}[${i}] must be an array of integers`);
    if (row.length !== t) throw new UsageError(`inputs: ${field}[${i}] has ${row.length} tokens, expected ${t}`);
    for (let j = 0; j < t; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        throw new UsageError(`inputs: ${field}[${i}][${j}]=${formatValue(v, 40)} is not an integer`);
      }
      const problem = check(v);
      if (problem !== undefined) throw new UsageError(`inputs: ${field}[${i}][${j}]=${v} ${problem}`);
      data[i * t + j] = v;
    }
  }
  return { data, rows: b, cols: t };
}

/** Validates the parsed `--inputs` JSON against the model's limits; problems are one-line UsageErrors. */
export function parseTokenInputs(json: unknown, limits: TokenLimits): TokenInputs {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UsageError('inputs: expected a JSON object {input_ids, token_type_ids?, attention_mask?}');
  }
  const obj = json as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!['input_ids', 'token_type_ids', 'attention_mask'].includes(key)) {
      throw new UsageError(`inputs: unexpected field '${key}' (expected input_ids, token_type_ids, attention_mask)`);
    }
  }
  const ids = matrix(obj, 'input_ids', undefined, undefined,
    (v) => (v < 0 || v >= limits.vocabSize ? `is outside the vocabulary [0, ${limits.vocabSize})` : undefined));
  if (ids.cols > limits.maxPositionEmbeddings) {
    throw new UsageError(`inputs: sequences have ${ids.cols} tokens, more than max_position_embeddings=` +
      `${limits.maxPositionEmbeddings}`);
  }
  const types = obj.token_type_ids === undefined || obj.token_type_ids === null ? undefined
    : matrix(obj, 'token_type_ids', ids.rows, ids.cols, (v) => (v < 0 || v >= limits.typeVocabSize
      ? `is outside [0, type_vocab_size=${limits.typeVocabSize})` : undefined)).data;
  const mask = obj.attention_mask === undefined || obj.attention_mask === null ? undefined
    : matrix(obj, 'attention_mask', ids.rows, ids.cols, (v) => (v !== 0 && v !== 1 ? 'must be 0 or 1' : undefined))
      .data;
  return { batchSize: ids.rows, seqLength: ids.cols, inputIds: ids.data, tokenTypeIds: types, attentionMask: mask };
}
