// Fill-mask with the current weights, returning HF pipeline-shaped candidates ({score, token, token_str, sequence}).
import * as tf from '@tensorflow/tfjs-core';
import type { AlbertForPreTraining } from '@albert-ts/core';
import type { MlmHead } from '@albert-ts/objectives';
import type { AlbertTokenizer } from '@albert-ts/tokenizer';
import { PlaygroundError } from '../errors.js';
import type { FillMaskCandidate, FillMaskResult } from '../protocol.js';

/** Most candidates per mask. */
export const MAX_TOP_K = 50;

/** Top-`topK` tokens for every `[MASK]` of `text`, with softmax scores. */
export async function fillMask(
  model: AlbertForPreTraining, tokenizer: AlbertTokenizer, text: string, topK: number,
): Promise<FillMaskResult> {
  if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) throw new PlaygroundError(`topK must be an integer from 1 to ${MAX_TOP_K}, got ${topK}`);
  const head = model.head<MlmHead>('mlm');
  if (head === undefined) throw new PlaygroundError('this model has no MLM head (predictions.*), so it cannot fill masks');
  const enc = tokenizer.encode(text, undefined, { maxLength: model.config.maxPositionEmbeddings, truncation: true });
  const ids = enc.inputIds;
  const positions = ids.flatMap((id, i) => (id === tokenizer.maskTokenId ? [i] : []));
  if (positions.length === 0) throw new PlaygroundError(`the text has no ${tokenizer.maskToken} token to fill`);
  const start = performance.now();
  const probs = tf.tidy(() => {
    const inputIds = tf.tensor2d([ids], [1, ids.length], 'int32');
    const out = model.albert.apply({ inputIds, tokenTypeIds: tf.tensor2d([enc.tokenTypeIds], [1, ids.length], 'int32') });
    const hidden = tf.gather(out.lastHiddenState, positions, 1) as tf.Tensor3D; // [1, T, H] -> [1, M, H]
    return tf.softmax(head.logits(hidden)); // [1, M, V]
  });
  let values: Float32Array;
  try {
    values = (await probs.data()) as Float32Array;
  } finally {
    probs.dispose();
  }
  const seconds = (performance.now() - start) / 1000;
  const vocab = values.length / positions.length;
  const masks = positions.map((pos, m) => {
    const row = values.subarray(m * vocab, (m + 1) * vocab);
    const order = Array.from(row.keys()).sort((a, b) => row[b] - row[a] || a - b).slice(0, topK);
    return order.map((token): FillMaskCandidate => {
      const filled = [...ids];
      filled[pos] = token;
      return {
        score: row[token],
        token,
        token_str: tokenizer.decode([token]),
        sequence: tokenizer.decode(filled, { skipSpecialTokens: true }),
      };
    });
  });
  return { masks, tokensPerSecond: ids.length / Math.max(seconds, 1e-9) };
}
