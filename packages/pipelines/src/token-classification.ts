import { hfTaskOutputs } from '@albert-ts/objectives';
import { PipelineError } from './errors.js';
import { type PipelineModel, runBatches } from './model.js';
import { softmax } from './numeric.js';
import { type CallOptions, commonOptions } from './options.js';

/** Options of a token-classification call (HF `TokenClassificationPipeline` arguments). */
export interface TokenClassificationOptions extends CallOptions {
  /** Labels left out of the result (default `['O']`). */
  ignore_labels?: readonly string[];
  /**
   * `none` (default): one result per token; `simple`: adjacent tokens of one entity (`B-X`, `I-X`, ...) merged.
   * (HF's `first`/`average`/`max` need a fast tokenizer's word ids and are not offered.)
   */
  aggregation_strategy?: 'none' | 'simple';
}

/** A token and its label (HF / transformers.js, `aggregation_strategy: 'none'`). */
export interface TokenClassificationResult {
  entity: string;
  score: number;
  /** Position in `input_ids` (`[CLS]` is 0). */
  index: number;
  /** The token (a SentencePiece piece, e.g. `▁paris`). */
  word: string;
  /** Range of the token in the input text (UTF-16 indices; leading space excluded). */
  start: number;
  end: number;
}

/** A group of tokens with one entity (`aggregation_strategy: 'simple'`). */
export interface EntityGroup {
  entity_group: string;
  /** Mean of the tokens' scores. */
  score: number;
  word: string;
  start: number;
  end: number;
}

/** HF `get_tag`: `B-X` → (B, X), `I-X` → (I, X), anything else → (I, label). */
function tagOf(label: string): [string, string] {
  if (label.startsWith('B-')) return ['B', label.slice(2)];
  if (label.startsWith('I-')) return ['I', label.slice(2)];
  return ['I', label];
}

/** HF `group_entities` / `group_sub_entities`. */
function groupEntities(m: PipelineModel, entities: TokenClassificationResult[]): EntityGroup[] {
  const groups: EntityGroup[] = [];
  const close = (run: TokenClassificationResult[]) => {
    const first = run[0]!.entity;
    groups.push({
      entity_group: first.slice(first.indexOf('-') + 1), // HF: entity.split("-", 1)[-1]
      score: run.reduce((s, e) => s + e.score, 0) / run.length,
      word: m.tokenizer.convertTokensToString(run.map((e) => e.word)),
      start: run[0]!.start,
      end: run[run.length - 1]!.end,
    });
  };
  let run: TokenClassificationResult[] = [];
  for (const e of entities) {
    if (run.length === 0) { run = [e]; continue; }
    const [bi, tag] = tagOf(e.entity);
    const [, lastTag] = tagOf(run[run.length - 1]!.entity);
    if (tag === lastTag && bi !== 'B') run.push(e);
    else { close(run); run = [e]; }
  }
  if (run.length > 0) close(run);
  return groups;
}

/**
 * Labels each token like HF's `token-classification` (`ner`) pipeline with an `AlbertForTokenClassification`
 * directory: `[{entity, score, index, word, start, end}]` for the tokens whose label is not ignored (special tokens
 * left out), or entity groups with `aggregation_strategy: 'simple'`; for a list of texts, one list per text.
 */
export async function tokenClassification(
  m: PipelineModel, inputs: string | readonly string[], options: TokenClassificationOptions = {},
): Promise<(TokenClassificationResult | EntityGroup)[] | (TokenClassificationResult | EntityGroup)[][]> {
  const task = m.model.task;
  if (task.architecture !== 'AlbertForTokenClassification') {
    throw new PipelineError(`token-classification needs an AlbertForTokenClassification, but ${m.dir} is an ${task.architecture}`);
  }
  const texts = typeof inputs === 'string' ? [inputs] : inputs;
  if (!Array.isArray(texts) || texts.length === 0 || texts.some((t) => typeof t !== 'string')) {
    throw new PipelineError('token-classification expects a string or a non-empty list of strings');
  }
  const strategy = options.aggregation_strategy ?? 'none';
  if (strategy !== 'none' && strategy !== 'simple') {
    throw new PipelineError(`aggregation_strategy must be 'none' or 'simple', got ${JSON.stringify(strategy)} `
      + '(first/average/max need word ids from a fast tokenizer)');
  }
  const ignore = new Set(options.ignore_labels ?? ['O']);
  const { batchSize, truncation, maxLength } = commonOptions(options);
  const tok = m.tokenizer;
  const tokenized = texts.map((t) => tok.tokenizeWithOffsets(t));
  const rows = tokenized.map((t) => tok.prepareForModel(tok.convertTokensToIds(t.tokens), undefined, { truncation, maxLength }));
  const batches = await runBatches(m, rows, batchSize, (out) => ({ logits: hfTaskOutputs(m.model, out).logits! }));
  const labels = task.labels!;
  const results = batches.flatMap((batch) => batch.rows.map((row, i) => {
    const { data, shape } = batch.outputs.logits!;
    const [, t, c] = shape as [number, number, number];
    const { tokens, offsets } = tokenized[batch.offset + i]!;
    const entities: TokenClassificationResult[] = [];
    // Tokens sit at input positions 1..n ([CLS] at 0, [SEP] after them).
    for (let j = 1; j < row.inputIds.length - 1; j++) {
      const scores = softmax(data.subarray((i * t + j) * c, (i * t + j + 1) * c));
      let best = 0;
      for (let k = 1; k < c; k++) if (scores[k]! > scores[best]!) best = k;
      const [start, end] = offsets[j - 1]!;
      entities.push({ entity: labels[best]!, score: scores[best]!, index: j, word: tokens[j - 1]!, start, end });
    }
    if (strategy === 'none') return entities.filter((e) => !ignore.has(e.entity));
    return groupEntities(m, entities).filter((g) => !ignore.has(g.entity_group));
  }));
  return typeof inputs === 'string' ? results[0]! : results;
}
