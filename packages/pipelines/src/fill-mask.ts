import * as tf from '@tensorflow/tfjs-core';
import { AlbertForPreTraining } from '@albert-ts/core';
import { MlmHead, gatherPositions } from '@albert-ts/objectives';
import { PipelineError } from './errors.js';
import { type PipelineModel, runBatches } from './model.js';
import { topK } from './numeric.js';
import { type CallOptions, commonOptions, positiveInt } from './options.js';

/** Options of a fill-mask call (HF `FillMaskPipeline` arguments). */
export interface FillMaskOptions extends CallOptions {
  /** Predictions per mask (default 5). */
  top_k?: number;
  /** Score only these tokens: vocabulary pieces (`▁paris`), else the first token of the text. */
  targets?: string | readonly string[];
}

/** One prediction for a mask (HF / transformers.js fill-mask output). */
export interface FillMaskResult {
  /** Probability of the token at the mask (softmax over the vocabulary). */
  score: number;
  /** Token id. */
  token: number;
  /** The token decoded. */
  token_str: string;
  /** The input with the mask replaced, decoded (special tokens dropped when the input has one mask). */
  sequence: string;
}

/**
 * HF `FillMaskPipeline.get_target_ids`: each target is a vocabulary token, or else the first token of its
 * tokenization; duplicates removed.
 */
function targetIds(m: PipelineModel, targets: string | readonly string[]): number[] {
  const list = typeof targets === 'string' ? [targets] : targets;
  if (!Array.isArray(list) || list.some((t) => typeof t !== 'string')) throw new PipelineError('targets must be a string or a list of strings');
  const tok = m.tokenizer;
  const ids = new Set<number>();
  for (const target of list) {
    const id = tok.convertTokensToIds([target])[0]!;
    if (tok.convertIdsToTokens([id])[0] === target) ids.add(id);
    else {
      const first = tok.encodeIds(target)[0];
      if (first !== undefined) ids.add(first);
    }
  }
  if (ids.size === 0) throw new PipelineError('At least one target must be provided when passed (every target tokenized to nothing)');
  return [...ids];
}

/**
 * Fills `[MASK]` tokens like HF's `fill-mask` pipeline: for one input with one mask, the `top_k` predictions
 * `[{score, token, token_str, sequence}]`; with several masks, one such list per mask; for a list of inputs, one
 * result per input.
 */
export async function fillMask(
  m: PipelineModel, inputs: string | readonly string[], options: FillMaskOptions = {},
): Promise<FillMaskResult[] | FillMaskResult[][] | (FillMaskResult[] | FillMaskResult[][])[]> {
  const head = m.model.model instanceof AlbertForPreTraining
    ? m.model.model.heads.find((h): h is MlmHead => h instanceof MlmHead) : undefined;
  if (head === undefined) {
    throw new PipelineError(`fill-mask needs a masked-LM head (predictions.*), but ${m.dir} is an ${m.model.task.architecture}`);
  }
  const texts = typeof inputs === 'string' ? [inputs] : inputs;
  if (!Array.isArray(texts) || texts.length === 0 || texts.some((t) => typeof t !== 'string')) {
    throw new PipelineError('fill-mask expects a string or a non-empty list of strings');
  }
  const { batchSize, truncation, maxLength } = commonOptions(options);
  const targets = options.targets === undefined ? undefined : targetIds(m, options.targets);
  let k = positiveInt(options.top_k, 'top_k', 5);
  if (targets !== undefined) k = Math.min(k, targets.length);
  const tok = m.tokenizer;
  const rows = texts.map((t) => tok.encode(t, undefined, { truncation, maxLength }));
  const maskPositions = rows.map((r, i) => {
    const p = r.inputIds.flatMap((id, j) => (id === tok.maskTokenId ? [j] : []));
    if (p.length === 0) throw new PipelineError(`No mask_token (${tok.maskToken}) found on the input${texts.length > 1 ? ` ${i}` : ''}`);
    return p;
  });
  const batches = await runBatches(m, rows, batchSize, (out, _inputs, offset) => {
    const own = maskPositions.slice(offset, offset + batchSize);
    const b = own.length;
    const p = Math.max(...own.map((x) => x.length));
    // Mask positions per row, padded by repeating the row's first mask: [B, P].
    const positions = own.map((x) => [...x, ...new Array<number>(p - x.length).fill(x[0]!)]);
    const hidden = gatherPositions(out.lastHiddenState, tf.tensor2d(positions, [b, p], 'int32')); // [B, P, H]
    return { probs: tf.softmax(head.logits(hidden)) }; // [B, P, V]
  });
  const results = batches.flatMap((batch) => batch.rows.map((row, i) => {
    const { data, shape } = batch.outputs.probs!;
    const [, p, v] = shape as [number, number, number];
    const masks = maskPositions[batch.offset + i]!;
    const perMask = masks.map((position, j) => {
      const probs = data.subarray((i * p + j) * v, (i * p + j + 1) * v);
      const candidates = targets ?? Array.from({ length: v }, (_, id) => id);
      const chosen = topK(candidates.map((id) => probs[id]!), k).map((c) => candidates[c]!);
      return chosen.map((token) => {
        const ids = row.inputIds.map((id, q) => (q === position ? token : id)).filter((id) => id !== tok.padTokenId);
        return {
          score: probs[token]!, token, token_str: tok.decode([token]),
          sequence: tok.decode(ids, { skipSpecialTokens: masks.length === 1 }),
        };
      });
    });
    return masks.length === 1 ? perMask[0]! : perMask;
  }));
  return typeof inputs === 'string' || results.length === 1 ? results[0]! : results;
}
