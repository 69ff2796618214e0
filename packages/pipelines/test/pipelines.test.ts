// Each pipeline against the model's own forward pass: the expected values are computed here from the in-memory
// model (backbone + head on the tokenizer's encoding), independently of the pipeline's batching and post-processing.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { type AlbertForPreTraining, createApplyContext } from '@albert-ts/core';
import {
  MlmHead, QuestionAnsweringHead, SequenceClassificationHead, TokenClassificationHead,
} from '@albert-ts/objectives';
import { expectNoLeaks, useTestBackend } from '@albert-ts/testing';
import {
  type EntityGroup, type FillMaskResult, PipelineError, type QuestionAnsweringResult, type TokenClassificationResult,
  pipeline as pipelineFromFiles,
} from '../src/index.js';
import { pipeline } from '../src/node/index.js';
import { HEADS, modelDir, tmp, tokenizer as tok } from './helpers.js';

// The models are built while the suite is collected, so the backend is chosen first.
await useTestBackend('cpu');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const ctx = createApplyContext({ training: false });

/** Backbone outputs of one unpadded encoding, as plain arrays. */
function forward(model: AlbertForPreTraining, ids: number[], types?: number[]) {
  return tf.tidy(() => {
    const inputIds = tf.tensor2d([ids], [1, ids.length], 'int32');
    const tokenTypeIds = tf.tensor2d([types ?? ids.map(() => 0)], [1, ids.length], 'int32');
    const out = model.albert.apply({ inputIds, tokenTypeIds });
    const head = model.heads[0]!;
    const res: Record<string, number[][]> = { hidden: out.lastHiddenState.arraySync()[0]! };
    if (head instanceof MlmHead) res.logits = head.logits(out.lastHiddenState).arraySync()[0]!;
    if (head instanceof SequenceClassificationHead) res.logits = head.logits(out.poolerOutput!, ctx).arraySync();
    if (head instanceof TokenClassificationHead) res.logits = head.logits(out.lastHiddenState, ctx).arraySync()[0]!;
    if (head instanceof QuestionAnsweringHead) {
      const { startLogits, endLogits } = head.logits(out.lastHiddenState);
      res.start = startLogits.arraySync();
      res.end = endLogits.arraySync();
    }
    return res;
  });
}

function softmax(x: number[]): number[] {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

async function rejects(p: Promise<unknown> | (() => unknown), re: RegExp): Promise<void> {
  let err: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(PipelineError);
  expect((err as Error).message).toMatch(re);
  expect((err as Error).message).not.toMatch(/\n/);
}

describe('fill-mask', () => {
  const { dir, model } = modelDir('AlbertForMaskedLM');
  const text = 'the people of the [MASK] states';

  it('returns the top_k tokens at the mask with their softmax probability, token_str and sequence', async () => {
    const unmask = await pipeline('fill-mask', dir);
    try {
      const got = await unmask(text) as FillMaskResult[];
      const ids = tok.encode(text).inputIds;
      const at = ids.indexOf(tok.maskTokenId);
      const probs = softmax(forward(model, ids).logits![at]!);
      const best = probs.map((p, id) => [p, id] as const).sort((a, b) => b[0] - a[0]).slice(0, 5);
      expect(got.map((r) => r.token)).toEqual(best.map(([, id]) => id));
      got.forEach((r, i) => {
        expect(r.score).toBeCloseTo(best[i]![0], 5);
        expect(r.token_str).toBe(tok.decode([r.token]));
        expect(r.sequence).toBe(tok.decode(ids.map((id, q) => (q === at ? r.token : id)), { skipSpecialTokens: true }));
      });
      expect(Object.keys(got[0]!).sort()).toEqual(['score', 'sequence', 'token', 'token_str']);
    } finally {
      unmask.dispose();
    }
  });

  it('top_k, targets, several masks, lists and batch_size', async () => {
    const unmask = await pipeline('fill-mask', dir, { top_k: 3 });
    try {
      expect(await unmask(text) as FillMaskResult[]).toHaveLength(3);
      const targeted = await unmask(text, { targets: ['\u2581the', 'united'] }) as FillMaskResult[];
      expect(targeted).toHaveLength(2);
      expect(new Set(targeted.map((r) => r.token))).toEqual(new Set([tok.convertTokensToIds(['\u2581the'])[0], tok.encodeIds('united')[0]]));
      const two = await unmask('[MASK] of the [MASK]') as FillMaskResult[][];
      expect(two).toHaveLength(2);
      expect(two[0]!).toHaveLength(3);
      expect(two[0]![0]!.sequence).toContain('[MASK]'); // the other mask stays, special tokens are kept
      const texts = [text, 'a [MASK] day', 'we [MASK] the people of the world and the union'];
      const one = await unmask(texts, { batch_size: 1 }) as FillMaskResult[][];
      const batched = await unmask(texts, { batch_size: 3 }) as FillMaskResult[][];
      expect(batched.map((r) => r.map((x) => x.token))).toEqual(one.map((r) => r.map((x) => x.token)));
      batched.flat().forEach((r, i) => expect(r.score).toBeCloseTo(one.flat()[i]!.score, 5));
      expect(await unmask([text])).toEqual(await unmask(text)); // HF: a list of one is the single result
    } finally {
      unmask.dispose();
    }
  });

  it('refuses inputs without a mask, and directories without an MLM head', async () => {
    const unmask = await pipeline('fill-mask', dir);
    await rejects(unmask('no mask here'), /No mask_token \(\[MASK\]\) found on the input/);
    await rejects(unmask([] as string[]), /expects a string or a non-empty list/);
    await rejects(unmask(text, { top_k: 0 }), /top_k must be an integer >= 1/);
    unmask.dispose();
    const cls = modelDir('AlbertForSequenceClassification', 7);
    cls.model.dispose();
    await rejects(pipeline('fill-mask', cls.dir), /fill-mask needs AlbertForMaskedLM or AlbertForPreTraining with predictions\.\*, but .* is an AlbertForSequenceClassification/);
  });
});

describe('text-classification', () => {
  const { dir, model } = modelDir('AlbertForSequenceClassification');
  const labels = HEADS.AlbertForSequenceClassification.labels;
  const expected = (text: string, pair?: string) => {
    const enc = tok.encode(text, pair);
    return softmax(forward(model, enc.inputIds, enc.tokenTypeIds).logits![0]!);
  };

  it('[{label, score}] for the best label; top_k; pairs; sigmoid; lists and batch_size', async () => {
    const classify = await pipeline('text-classification', dir);
    try {
      const text = 'a fine speech about the union';
      const p = expected(text);
      const best = p.indexOf(Math.max(...p));
      const one = await classify(text);
      expect(one).toHaveLength(1);
      expect((one as { label: string }[])[0]!.label).toBe(labels[best]);
      expect((one as { score: number }[])[0]!.score).toBeCloseTo(p[best]!, 6);
      const all = await classify(text, { top_k: null }) as { label: string; score: number }[];
      expect(all.map((r) => r.label)).toEqual(labels.map((l, i) => [l, p[i]!] as const).sort((a, b) => b[1] - a[1]).map(([l]) => l));
      expect(await classify(text, { top_k: 2 })).toHaveLength(2);
      const pair = await classify({ text, text_pair: 'and the world' }, { top_k: null }) as { label: string; score: number }[];
      const pp = expected(text, 'and the world');
      for (const r of pair) expect(r.score).toBeCloseTo(pp[labels.indexOf(r.label)]!, 6);
      const sig = await classify(text, { function_to_apply: 'sigmoid', top_k: null }) as { label: string; score: number }[];
      const logits = forward(model, tok.encode(text).inputIds).logits![0]!;
      for (const r of sig) expect(r.score).toBeCloseTo(1 / (1 + Math.exp(-logits[labels.indexOf(r.label)]!)), 6);
      const texts = ['one', 'two words here', 'and a third, longer, text for the batch'];
      const singles = await classify(texts, { batch_size: 1 }) as { label: string; score: number }[];
      const batched = await classify(texts, { batch_size: 2 }) as { label: string; score: number }[];
      expect(batched.map((r) => r.label)).toEqual(singles.map((r) => r.label));
      batched.forEach((r, i) => expect(r.score).toBeCloseTo(singles[i]!.score, 5));
    } finally {
      classify.dispose();
    }
  });

  it('truncation: true cuts at max_length; a too long input without it is refused', async () => {
    const classify = await pipeline('sentiment-analysis', dir);
    try {
      const long = 'the people of the united states '.repeat(20);
      await rejects(classify(long), /input 0 is \d+ tokens, more than the model's max_position_embeddings=64; pass truncation: true/);
      const got = await classify(long, { truncation: true, max_length: 16, top_k: null }) as { label: string; score: number }[];
      const enc = tok.encode(long, undefined, { truncation: true, maxLength: 16 });
      expect(enc.inputIds).toHaveLength(16);
      const p = softmax(forward(model, enc.inputIds).logits![0]!);
      for (const r of got) expect(r.score).toBeCloseTo(p[labels.indexOf(r.label)]!, 6);
      await rejects(classify(3 as never), /input 0 must be a string or \{text, text_pair\?\}/);
    } finally {
      classify.dispose();
    }
  });
});

describe('token-classification', () => {
  const { dir, model } = modelDir('AlbertForTokenClassification');
  const labels = HEADS.AlbertForTokenClassification.labels;
  const text = 'The President spoke in Washington, to the Congress of 1990.';

  it('one entity per token not labelled O, with index, word and the token\'s range in the text', async () => {
    const ner = await pipeline('ner', dir, { ignore_labels: [] });
    try {
      const got = await ner(text) as TokenClassificationResult[];
      const { tokens, offsets } = tok.tokenizeWithOffsets(text);
      const logits = forward(model, tok.encode(text).inputIds).logits!;
      expect(got).toHaveLength(tokens.length); // nothing ignored: every token but [CLS]/[SEP]
      got.forEach((e, k) => {
        const p = softmax(logits[k + 1]!);
        const best = p.indexOf(Math.max(...p));
        expect(e).toMatchObject({ entity: labels[best], index: k + 1, word: tokens[k], start: offsets[k]![0], end: offsets[k]![1] });
        expect(e.score).toBeCloseTo(p[best]!, 6);
        expect(text.slice(e.start, e.end).toLowerCase()).toBe(e.word.replace(/^\u2581/, ''));
      });
      const withoutO = await ner(text, { ignore_labels: ['O'] }) as TokenClassificationResult[];
      expect(withoutO).toEqual(got.filter((e) => e.entity !== 'O'));
    } finally {
      ner.dispose();
    }
  });

  it('aggregation_strategy simple merges B-/I- runs as HF\'s group_entities', async () => {
    const ner = await pipeline('token-classification', dir);
    try {
      const tokens = await ner(text, { ignore_labels: [] }) as TokenClassificationResult[];
      const groups = await ner(text, { aggregation_strategy: 'simple', ignore_labels: [] }) as EntityGroup[];
      // Rebuild the groups from the per-token results: a new group starts at a B- tag or a different entity.
      const tag = (l: string) => (l.startsWith('B-') || l.startsWith('I-') ? [l[0], l.slice(2)] : ['I', l]);
      const runs: TokenClassificationResult[][] = [];
      for (const e of tokens) {
        const last = runs.at(-1)?.at(-1);
        if (last !== undefined && tag(e.entity)[1] === tag(last.entity)[1] && tag(e.entity)[0] !== 'B') runs.at(-1)!.push(e);
        else runs.push([e]);
      }
      expect(groups.map((g) => g.entity_group)).toEqual(runs.map((r) => tag(r[0]!.entity)[1]));
      groups.forEach((g, i) => {
        const run = runs[i]!;
        expect([g.start, g.end]).toEqual([run[0]!.start, run.at(-1)!.end]);
        expect(g.score).toBeCloseTo(run.reduce((s, e) => s + e.score, 0) / run.length, 10);
        expect(g.word).toBe(tok.convertTokensToString(run.map((e) => e.word)));
      });
      const lists = await ner([text, 'short one'], { batch_size: 2 }) as TokenClassificationResult[][];
      expect(lists[0]).toEqual(await ner(text));
      await rejects(ner(text, { aggregation_strategy: 'first' as never }), /aggregation_strategy must be 'none' or 'simple'/);
    } finally {
      ner.dispose();
    }
  });
});

describe('question-answering', () => {
  const { dir, model } = modelDir('AlbertForQuestionAnswering');
  const question = 'Who spoke to the Congress?';
  const context = 'In 1990 the President spoke to the Congress about the state of the union and the world.';

  /** Best span by brute force over every (start, end) of context tokens, softmax over context tokens and [CLS]. */
  function bruteForce(q: string, c: string, maxAnswerLen = 15) {
    const enc = tok.encode(q, c);
    const first = enc.tokenTypeIds.indexOf(1);
    const last = enc.inputIds.length - 2; // the final [SEP] is not context
    const allowed = enc.inputIds.map((_, i) => i === 0 || (i >= first && i <= last));
    const out = forward(model, enc.inputIds, enc.tokenTypeIds);
    const masked = (x: number[]) => softmax(x.map((v, i) => (allowed[i] ? v : -10000)));
    const ps = masked(out.start![0]!);
    const pe = masked(out.end![0]!);
    let best = { s: -1, e: -1, score: -1 };
    for (let s = first; s <= last; s++) {
      for (let e = s; e <= Math.min(last, s + maxAnswerLen - 1); e++) if (ps[s]! * pe[e]! > best.score) best = { s, e, score: ps[s]! * pe[e]! };
    }
    return { ...best, s: best.s - first, e: best.e - first, nullScore: ps[0]! * pe[0]! };
  }

  it('finds the best span of the context, widened to whole words', async () => {
    const qa = await pipeline('question-answering', dir);
    try {
      const got = await qa(question, context) as QuestionAnsweringResult;
      const want = bruteForce(question, context);
      const { tokens, offsets } = tok.tokenizeWithOffsets(context);
      let [s, e] = [want.s, want.e];
      while (s > 0 && !tokens[s]!.startsWith('\u2581')) s--;
      while (e + 1 < tokens.length && !tokens[e + 1]!.startsWith('\u2581')) e++;
      expect(got.score).toBeCloseTo(want.score, 6);
      expect([got.start, got.end]).toEqual([offsets[s]![0], offsets[e]![1]]);
      expect(got.answer).toBe(context.slice(got.start, got.end));
      expect(await qa({ question, context })).toEqual(got);
      const top = await qa({ question, context }, { top_k: 3 }) as QuestionAnsweringResult[];
      expect(top).toHaveLength(3);
      expect(top[0]).toEqual(got);
      expect(top[0]!.score).toBeGreaterThanOrEqual(top[2]!.score);
      const withNull = await qa({ question, context }, { top_k: 10, handle_impossible_answer: true }) as QuestionAnsweringResult[];
      const empty = withNull.find((a) => a.answer === '');
      if (empty !== undefined) expect(empty.score).toBeCloseTo(want.nullScore, 6);
      expect(withNull.map((a) => a.score)).toEqual([...withNull.map((a) => a.score)].sort((x, y) => y - x));
    } finally {
      qa.dispose();
    }
  });

  it('a context longer than max_seq_len is read in overlapping windows', async () => {
    const qa = await pipeline('question-answering', dir);
    try {
      const long = `${context} `.repeat(6);
      expect(tok.encode(question, long).inputIds.length).toBeGreaterThan(64);
      const got = await qa({ question, context: long }, { top_k: 5, doc_stride: 8 }) as QuestionAnsweringResult[];
      expect(got).toHaveLength(5);
      for (const a of got) {
        expect(a.answer).toBe(long.slice(a.start, a.end));
        expect(a.score).toBeGreaterThan(0);
        expect(a.score).toBeLessThanOrEqual(1);
      }
      // Independently: windows of room = 64 - |question| - 3 context tokens, each starting room - 8 tokens after the
      // previous one; the best span of each by brute force; the pipeline's best answer is the best of those.
      const q = tok.encodeIds(question);
      const ctxIds = tok.encodeIds(long);
      const { tokens, offsets } = tok.tokenizeWithOffsets(long);
      const room = 64 - q.length - 3;
      let best = { score: -1, s: -1, e: -1 };
      for (let from = 0; ; from += room - 8) {
        const ids = ctxIds.slice(from, from + room);
        const enc = tok.prepareForModel(q, ids);
        const out = forward(model, enc.inputIds, enc.tokenTypeIds);
        const first = q.length + 2;
        const allowed = enc.inputIds.map((_, i) => i === 0 || (i >= first && i < first + ids.length));
        const ps = softmax(out.start![0]!.map((v, i) => (allowed[i] ? v : -10000)));
        const pe = softmax(out.end![0]!.map((v, i) => (allowed[i] ? v : -10000)));
        for (let s0 = 0; s0 < ids.length; s0++) {
          for (let e0 = s0; e0 < Math.min(ids.length, s0 + 15); e0++) {
            const score = ps[first + s0]! * pe[first + e0]!;
            if (score > best.score) best = { score, s: from + s0, e: from + e0 };
          }
        }
        if (from + room >= ctxIds.length) break;
      }
      while (best.s > 0 && !tokens[best.s]!.startsWith('\u2581')) best.s--;
      while (best.e + 1 < tokens.length && !tokens[best.e + 1]!.startsWith('\u2581')) best.e++;
      expect(got[0]!.score).toBeCloseTo(best.score, 6);
      expect([got[0]!.start, got[0]!.end]).toEqual([offsets[best.s]![0], offsets[best.e]![1]]);
      const batched = await qa([{ question, context: long }, { question, context }], { top_k: 5, doc_stride: 8, batch_size: 4 });
      expect((batched as QuestionAnsweringResult[][])[0]!.map((a) => a.start)).toEqual(got.map((a) => a.start));
      await rejects(qa({ question, context: '' }), /the context is empty/);
      await rejects(qa({ question: 'x '.repeat(80), context }), /the question is \d+ tokens, too long/);
    } finally {
      qa.dispose();
    }
  });
});

describe('feature-extraction', () => {
  const { dir, model } = modelDir('AlbertForMaskedLM', 3);

  it('[1][T][H] last_hidden_state per input; mean/cls pooling and normalize', async () => {
    const extract = await pipeline('feature-extraction', dir);
    try {
      const text = 'the union is strong';
      const ids = tok.encode(text).inputIds;
      const hidden = forward(model, ids).hidden!;
      const got = await extract(text) as number[][][];
      expect([got.length, got[0]!.length, got[0]![0]!.length]).toEqual([1, ids.length, 32]);
      got[0]!.forEach((v, t) => v.forEach((x, k) => expect(x).toBeCloseTo(hidden[t]![k]!, 5)));
      const mean = await extract(text, { pooling: 'mean', normalize: true }) as number[][];
      const m = hidden[0]!.map((_, k) => hidden.reduce((s, v) => s + v[k]!, 0) / hidden.length);
      const norm = Math.sqrt(m.reduce((s, x) => s + x * x, 0));
      mean[0]!.forEach((x, k) => expect(x).toBeCloseTo(m[k]! / norm, 5));
      const cls = await extract([text, 'and more'], { pooling: 'cls', batch_size: 2 }) as number[][][];
      cls[0]![0]!.forEach((x, k) => expect(x).toBeCloseTo(hidden[0]![k]!, 5));
    } finally {
      extract.dispose();
    }
  });
});

describe('loading and memory', () => {
  it('the main entry runs the same pipeline on the directory\'s files held in memory (the browser path)', async () => {
    const { dir, model } = modelDir('AlbertForMaskedLM', 11);
    model.dispose();
    const files = new Map(fs.readdirSync(dir).map((f) => [f, new Uint8Array(fs.readFileSync(path.join(dir, f)))]));
    const fromFiles = await pipelineFromFiles('fill-mask', files);
    const fromDir = await pipeline('fill-mask', dir);
    try {
      expect(await fromFiles('a [MASK] day')).toEqual(await fromDir('a [MASK] day'));
      expect(fromFiles.model.tokenizer.modelMaxLength).toBe(64); // tokenizer_config.json was read from the map
    } finally {
      fromFiles.dispose();
      fromDir.dispose();
    }
    await rejects(pipelineFromFiles('fill-mask', new Map()), /the model files: no config\.json/);
  });


  it('refuses unknown tasks and unusable directories with one line', async () => {
    await rejects(pipeline('summarization' as never, tmp), /unknown task "summarization"/);
    await expect(pipeline('fill-mask', path.join(tmp, 'nope'))).rejects.toThrow(/cannot read model file|not found/);
  });

  it('calls leave no tensors behind', async () => {
    const { dir, model } = modelDir('AlbertForQuestionAnswering', 5);
    model.dispose();
    await expectNoLeaks(async () => {
      const qa = await pipeline('question-answering', dir);
      await expectNoLeaks(async () => {
        await qa('who?', 'the president of the union');
        await qa([{ question: 'who?', context: 'the president' }, { question: 'what?', context: 'the union' }], { batch_size: 2 });
      });
      qa.dispose();
    });
  });
});
