// Learning-curve points from `pretrain`'s eval records, for finished runs (their result) and for runs still in
// progress (read back from their metrics.jsonl, so a long study shows how far it got before it finishes).
import fs from 'node:fs';
import { type EvalMetrics, SENTENCE_METRIC_NAMES, type SentenceMetricName } from '@albert-ts/recipes';
import type { CurvePoint, SentenceKey } from './results.js';

/** Result key of a sentence metric name of the recipes (`sop` -> `sop_acc`, cross scores keep their name). */
export function sentenceKey(name: SentenceMetricName): SentenceKey {
  return name === 'sop' ? 'sop_acc' : name === 'nsp' ? 'nsp_acc' : name;
}

/** One curve point from an eval record of `pretrain`. */
export function curvePoint(e: EvalMetrics & { step: number }, tokensPerStep: number): CurvePoint {
  const c: CurvePoint = { step: e.step, tokens: e.step * tokensPerStep, loss: e.mlm_loss, mlm_acc: e.mlm_accuracy, mlm_baseline: e.mlm_baseline };
  for (const name of SENTENCE_METRIC_NAMES) {
    const v = e[`${name}_accuracy`];
    if (v !== undefined) c[sentenceKey(name)] = v;
  }
  return c;
}

/**
 * The curve of a run in progress from its `metrics.jsonl` (eval records; a torn last line is skipped), and the last
 * step it recorded; undefined when there is no file or no evaluation yet.
 */
export function progressCurve(metricsFile: string, tokensPerStep: number): { step: number; curves: CurvePoint[] } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(metricsFile, 'utf8');
  } catch {
    return undefined;
  }
  const curves: CurvePoint[] = [];
  let step = 0;
  for (const line of text.split('\n')) {
    let r: { type?: string; step?: number } & Record<string, unknown>;
    try {
      r = JSON.parse(line) as typeof r;
    } catch {
      continue;
    }
    if (typeof r.step === 'number') step = Math.max(step, r.step);
    if (r.type === 'eval' && typeof r['mlm_accuracy'] === 'number') curves.push(curvePoint(r as unknown as EvalMetrics & { step: number }, tokensPerStep));
  }
  return curves.length > 0 ? { step, curves } : undefined;
}
