import { hfTaskOutputs } from '@albert-ts/objectives';
import { PipelineError } from './errors.js';
import { type PipelineModel, runBatches } from './model.js';
import { sigmoid, softmax } from './numeric.js';
import { type CallOptions, commonOptions, positiveInt } from './options.js';

/** A text, or a text pair (HF `{"text", "text_pair"}`). */
export type TextClassificationInput = string | { text: string; text_pair?: string };

/** Options of a text-classification call (HF `TextClassificationPipeline` arguments). */
export interface TextClassificationOptions extends CallOptions {
  /**
   * How many labels to return, best first; `null` for all. When not given, only the best label is returned (HF's
   * legacy default).
   */
  top_k?: number | null;
  /** Default: `sigmoid` for multi-label or single-output models, else `softmax`. */
  function_to_apply?: 'softmax' | 'sigmoid' | 'none';
}

/** A label and its score (HF / transformers.js). */
export interface ClassificationResult {
  label: string;
  score: number;
}

function checkInput(x: unknown, i: number): { text: string; pair?: string } {
  if (typeof x === 'string') return { text: x };
  if (typeof x === 'object' && x !== null && typeof (x as { text?: unknown }).text === 'string') {
    const pair = (x as { text_pair?: unknown }).text_pair;
    if (pair === undefined || typeof pair === 'string') return { text: (x as { text: string }).text, pair };
  }
  throw new PipelineError(`text-classification input ${i} must be a string or {text, text_pair?} of strings`);
}

/**
 * Classifies texts (or text pairs) like HF's `text-classification` pipeline with an `AlbertForSequenceClassification`
 * directory: for a string and no `top_k`, `[{label, score}]` with the best label; with `top_k`, the `top_k` best
 * (all with `null`); for a list, one result per input.
 */
export async function textClassification(
  m: PipelineModel, inputs: TextClassificationInput | readonly TextClassificationInput[], options: TextClassificationOptions = {},
): Promise<ClassificationResult[] | ClassificationResult | (ClassificationResult | ClassificationResult[])[]> {
  const task = m.model.task;
  if (task.architecture !== 'AlbertForSequenceClassification') {
    throw new PipelineError(`text-classification needs an AlbertForSequenceClassification, but ${m.dir} is an ${task.architecture}`);
  }
  const labels = task.labels!;
  const list = Array.isArray(inputs) ? inputs : [inputs];
  if (list.length === 0) throw new PipelineError('text-classification expects an input or a non-empty list of inputs');
  const legacy = !('top_k' in options);
  const topK = options.top_k === null ? null : positiveInt(options.top_k, 'top_k', 1);
  const fn = options.function_to_apply
    ?? (task.problemType === 'multi_label_classification' || labels.length === 1 ? 'sigmoid' : 'softmax');
  if (!['softmax', 'sigmoid', 'none'].includes(fn)) {
    throw new PipelineError(`function_to_apply must be softmax, sigmoid or none, got ${JSON.stringify(fn)}`);
  }
  const { batchSize, truncation, maxLength } = commonOptions(options);
  const rows = list.map((x, i) => {
    const { text, pair } = checkInput(x, i);
    return m.tokenizer.encode(text, pair, { truncation, maxLength });
  });
  const batches = await runBatches(m, rows, batchSize, (out) => ({ logits: hfTaskOutputs(m.model, out).logits! }));
  const results = batches.flatMap((batch) => batch.rows.map((_, i) => {
    const { data, shape } = batch.outputs.logits!;
    const c = shape[1]!;
    const logits = data.subarray(i * c, (i + 1) * c);
    const scores = fn === 'softmax' ? softmax(logits) : fn === 'sigmoid' ? sigmoid(logits) : Array.from(logits);
    const all = scores.map((score, j) => ({ label: labels[j]!, score }));
    if (legacy) return all.reduce((best, x) => (x.score > best.score ? x : best));
    all.sort((a, b) => b.score - a.score);
    return topK === null ? all : all.slice(0, topK);
  }));
  if (!Array.isArray(inputs)) {
    const r = results[0]!;
    return typeof inputs === 'string' && legacy ? [r as ClassificationResult] : r;
  }
  return results;
}
