/** Accuracy and F1 of integer predictions against integer labels. */
export interface ClassificationMetrics {
  /** Fraction of exact matches. */
  accuracy: number;
  /** Binary tasks: F1 of class 1 (the positive class); otherwise macro-F1 over the classes in labels ∪ preds. */
  f1: number;
  /** Macro-averaged F1 over all classes present in labels or predictions. */
  macroF1: number;
  /** Number of examples. */
  count: number;
}

/**
 * Accuracy and F1 (`f1` = positive-class F1 when `numLabels` is 2, as GLUE reports for MRPC/QQP; macro-F1
 * otherwise). A class with no true and no predicted examples is left out of the macro average; a class with
 * precision + recall = 0 counts as F1 0.
 */
export function classificationMetrics(preds: ArrayLike<number>, labels: ArrayLike<number>, numLabels: number): ClassificationMetrics {
  if (preds.length !== labels.length) throw new RangeError(`classificationMetrics: ${preds.length} predictions for ${labels.length} labels`);
  const n = labels.length;
  let correct = 0;
  const tp = new Array<number>(numLabels).fill(0);
  const fp = new Array<number>(numLabels).fill(0);
  const fn = new Array<number>(numLabels).fill(0);
  for (let i = 0; i < n; i++) {
    const p = preds[i], y = labels[i];
    if (p === y) { correct++; tp[y]++; } else { fp[p]++; fn[y]++; }
  }
  const f1Of = (c: number) => (2 * tp[c] + fp[c] + fn[c] === 0 ? NaN : (2 * tp[c]) / (2 * tp[c] + fp[c] + fn[c]));
  const present = [...Array(numLabels).keys()].filter((c) => !Number.isNaN(f1Of(c)));
  const macroF1 = present.length === 0 ? 0 : present.reduce((s, c) => s + f1Of(c), 0) / present.length;
  const positive = f1Of(1);
  const f1 = numLabels === 2 ? (Number.isNaN(positive) ? 0 : positive) : macroF1;
  return { accuracy: n === 0 ? 0 : correct / n, f1, macroF1, count: n };
}
