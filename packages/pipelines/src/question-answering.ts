import { hfTaskOutputs } from '@albert-ts/objectives';
import type { AlbertEncoding } from '@albert-ts/tokenizer';
import { PipelineError } from './errors.js';
import { type PipelineModel, runBatches } from './model.js';
import { softmax } from './numeric.js';
import { positiveInt, type CallOptions } from './options.js';

/** A question and the context to find its answer in. */
export interface QuestionAnsweringInput {
  question: string;
  context: string;
}

/** Options of a question-answering call (HF `QuestionAnsweringPipeline` arguments). */
export interface QuestionAnsweringOptions extends Pick<CallOptions, 'batch_size'> {
  /** Answers to return (default 1: a single object). */
  top_k?: number;
  /** Longest answer in tokens (default 15). */
  max_answer_len?: number;
  /** Tokens per window, question and special tokens included (default min(384, model_max_length, positions)). */
  max_seq_len?: number;
  /** Context tokens shared by consecutive windows of a long context (default min(max_seq_len / 2, 128)). */
  doc_stride?: number;
  /** Also consider "no answer" (`{score, start: 0, end: 0, answer: ''}`), scored from `[CLS]`. Default false. */
  handle_impossible_answer?: boolean;
  /** Widen answers to whole words (default true). */
  align_to_words?: boolean;
}

/** An answer: the span `context.slice(start, end)` and its score (HF / transformers.js). */
export interface QuestionAnsweringResult {
  score: number;
  start: number;
  end: number;
  answer: string;
}

/** One window of a (question, context) pair: its encoding and, per position, the context token there or -1. */
interface Window {
  readonly example: number;
  readonly row: AlbertEncoding;
  readonly contextToken: readonly number[];
}

/**
 * HF `decode_spans`: scores `start[s] * end[e]` for `s <= e < s + maxAnswerLen`, the `topK` best (first index on
 * ties), kept when both ends are allowed tokens.
 */
function decodeSpans(start: number[], end: number[], topK: number, maxAnswerLen: number, allowed: boolean[]):
  { s: number; e: number; score: number }[] {
  const t = start.length;
  const candidates: { s: number; e: number; score: number; flat: number }[] = [];
  for (let s = 0; s < t; s++) {
    for (let e = 0; e < t; e++) {
      const score = e >= s && e - s <= maxAnswerLen - 1 ? start[s]! * end[e]! : 0;
      candidates.push({ s, e, score, flat: s * t + e });
    }
  }
  candidates.sort((a, b) => (b.score - a.score) || a.flat - b.flat);
  return candidates.slice(0, topK).filter((c) => allowed[c.s] && allowed[c.e]);
}

/** Softmax over the allowed positions (HF: the others get -10000 first). */
function maskedSoftmax(logits: ArrayLike<number>, allowed: boolean[]): number[] {
  return softmax(Array.from(logits, (v, i) => (allowed[i] ? v : -10000)));
}

/**
 * Answers questions from a context like HF's `question-answering` pipeline with an `AlbertForQuestionAnswering`
 * directory: a long context is split into windows of `max_seq_len` tokens overlapping by `doc_stride`, start and
 * end probabilities are a softmax over the context tokens (and `[CLS]`), and the best spans of at most
 * `max_answer_len` tokens over all windows are returned: `{score, start, end, answer}` for one input with `top_k`
 * 1, else a list; for a list of inputs, one result per input.
 */
export async function questionAnswering(
  m: PipelineModel, inputs: QuestionAnsweringInput | readonly QuestionAnsweringInput[], options: QuestionAnsweringOptions = {},
): Promise<QuestionAnsweringResult | QuestionAnsweringResult[] | (QuestionAnsweringResult | QuestionAnsweringResult[])[]> {
  const task = m.model.task;
  if (task.architecture !== 'AlbertForQuestionAnswering') {
    throw new PipelineError(`question-answering needs an AlbertForQuestionAnswering, but ${m.dir} is an ${task.architecture}`);
  }
  const list = Array.isArray(inputs) ? inputs : [inputs];
  if (list.length === 0) throw new PipelineError('question-answering expects {question, context} or a non-empty list of them');
  list.forEach((x, i) => {
    if (typeof x !== 'object' || x === null || typeof x.question !== 'string' || typeof x.context !== 'string') {
      throw new PipelineError(`question-answering input ${i} must be {question: string, context: string}`);
    }
    if (x.context === '') throw new PipelineError(`question-answering input ${i}: the context is empty`);
  });
  const tok = m.tokenizer;
  const topK = positiveInt(options.top_k, 'top_k', 1);
  const maxAnswerLen = positiveInt(options.max_answer_len, 'max_answer_len', 15);
  const maxSeqLen = positiveInt(options.max_seq_len, 'max_seq_len',
    Math.min(384, tok.modelMaxLength ?? Infinity, m.config.maxPositionEmbeddings), 4);
  const docStride = positiveInt(options.doc_stride, 'doc_stride', Math.min(Math.floor(maxSeqLen / 2), 128), 0);
  const batchSize = positiveInt(options.batch_size, 'batch_size', 1);
  const alignToWords = options.align_to_words ?? true;
  if (docStride > maxSeqLen) throw new PipelineError(`doc_stride (${docStride}) is larger than max_seq_len (${maxSeqLen})`);

  const contexts = list.map((x) => tok.tokenizeWithOffsets(x.context));
  const windows: Window[] = [];
  list.forEach((x, example) => {
    const question = tok.encodeIds(x.question);
    const ctx = tok.convertTokensToIds(contexts[example]!.tokens);
    const room = maxSeqLen - question.length - 3;
    if (room <= docStride || room <= 0) {
      throw new PipelineError(`question-answering input ${example}: the question is ${question.length} tokens, too long for `
        + `max_seq_len=${maxSeqLen} with doc_stride=${docStride}`);
    }
    // Windows over the context tokens, each sharing doc_stride tokens with the previous one (HF's overflow).
    for (let from = 0; ; from += room - docStride) {
      const to = Math.min(ctx.length, from + room);
      const row = tok.prepareForModel(question, ctx.slice(from, to));
      const contextToken = row.inputIds.map((_, p) => {
        const k = p - question.length - 2;
        return k >= 0 && from + k < to ? from + k : -1;
      });
      windows.push({ example, row, contextToken });
      if (to >= ctx.length) break;
    }
  });

  const batches = await runBatches(m, windows.map((w) => w.row), batchSize, (out) => {
    const { start_logits, end_logits } = hfTaskOutputs(m.model, out);
    return { start: start_logits!, end: end_logits! };
  });
  const answers: QuestionAnsweringResult[][] = list.map(() => []);
  const minNull = list.map(() => 1_000_000);
  for (const batch of batches) {
    batch.rows.forEach((row, i) => {
      const w = windows[batch.offset + i]!;
      const t = batch.length;
      const n = row.inputIds.length;
      // p_mask: only context tokens and [CLS] may be chosen.
      const allowed = w.contextToken.map((k, p) => k >= 0 || row.inputIds[p] === tok.clsTokenId);
      const start = maskedSoftmax(batch.outputs.start!.data.subarray(i * t, i * t + n), allowed);
      const end = maskedSoftmax(batch.outputs.end!.data.subarray(i * t, i * t + n), allowed);
      minNull[w.example] = Math.min(minNull[w.example]!, start[0]! * end[0]!);
      start[0] = 0;
      end[0] = 0;
      const { context } = list[w.example]!;
      const { tokens, offsets } = contexts[w.example]!;
      for (const span of decodeSpans(start, end, topK, maxAnswerLen, allowed)) {
        let [s, e] = [w.contextToken[span.s]!, w.contextToken[span.e]!];
        if (s < 0 || e < 0) continue;
        if (alignToWords) {
          while (s > 0 && !tokens[s]!.startsWith('\u2581')) s--;
          while (e + 1 < tokens.length && !tokens[e + 1]!.startsWith('\u2581')) e++;
        }
        const [startChar, endChar] = [offsets[s]![0], offsets[e]![1]];
        answers[w.example]!.push({ score: span.score, start: startChar, end: endChar, answer: context.slice(startChar, endChar) });
      }
    });
  }
  const results = answers.map((a, example) => {
    if (options.handle_impossible_answer === true) a.push({ score: minNull[example]!, start: 0, end: 0, answer: '' });
    const best = a.sort((x, y) => y.score - x.score).slice(0, topK);
    return best.length === 1 ? best[0]! : best;
  });
  return Array.isArray(inputs) ? results : results[0]!;
}
