import * as tf from '@tensorflow/tfjs-core';
import {
  type AlbertConfig, type AlbertForPreTraining, type HfTensor, createApplyContext, deriveSeed, loadHfTensors,
  sharingFromHfConfig,
} from '@albert-ts/core';
import { readHfDirectory } from '@albert-ts/core/node';
import { type EncodedExamples, disposeBatch, exampleBatch } from '@albert-ts/data';
import { factorized } from '@albert-ts/embeddings';
import {
  type SequenceClassificationHead, createTaskModel, sequenceClassification, taskModelFromHf,
} from '@albert-ts/objectives';
import type { AlbertTokenizer } from '@albert-ts/tokenizer';
import { loadTokenizerDir } from '@albert-ts/tokenizer/node';
import { type ClassificationMetrics, SEED_KEYS, TrainerError, classificationMetrics } from '@albert-ts/trainer';
import { resolveModelDir } from '@albert-ts/trainer/node';

/** The head of a classifier built by {@link newClassifier} or {@link loadClassifier}. */
export const CLASSIFIER_HEAD = 'sequence_classification';

/**
 * HF `AlbertForSequenceClassification` on a pretrained backbone: the backbone's weights from `tensors` (or random,
 * `fromScratch`), a fresh `classifier.*` head; sharing from the config.json (`albert_ts_sharing` or HF groups).
 */
export function newClassifier(
  json: Record<string, unknown>, config: AlbertConfig, tensors: ReadonlyMap<string, HfTensor>, numLabels: number,
  seed: number, fromScratch = false,
): AlbertForPreTraining {
  const model = createTaskModel(config, sequenceClassification({ numLabels }), {
    embeddings: factorized(), sharing: sharingFromHfConfig(json, config), seed: deriveSeed(seed, SEED_KEYS.init),
  });
  try {
    if (!fromScratch) loadHfTensors(model.albert, tensors, config.numHiddenGroups);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/** A model directory: an HF directory, or a run's output directory (its latest checkpoint). */
export function modelDirectory(dir: string): string {
  const resolved = resolveModelDir(dir);
  if (resolved === undefined) {
    throw new TrainerError(`model: ${dir} is neither a model directory nor a run with checkpoints`, { field: 'model', value: dir });
  }
  return resolved;
}

/** Loads a classifier saved by `finetune` (config.json with id2label, `classifier.*` tensors) and its tokenizer. */
export function loadClassifier(dir: string): { model: AlbertForPreTraining; tokenizer: AlbertTokenizer; labels: string[]; task?: string } {
  const resolved = modelDirectory(dir);
  const { config, tensors } = readHfDirectory(resolved);
  const id2label = config['id2label'] as Record<string, string> | undefined;
  if (id2label === undefined || !tensors.has('classifier.weight')) {
    throw new TrainerError(`model: ${resolved} is not a fine-tuned sequence classifier (needs id2label and classifier.* tensors)`,
      { field: 'model', value: dir });
  }
  const labels = Object.keys(id2label).sort((x, y) => Number(x) - Number(y)).map((k) => id2label[k]);
  const tokenizer = loadTokenizerDir(resolved);
  const model = taskModelFromHf(config, tensors, sequenceClassification({ numLabels: labels.length }), { embeddings: factorized() });
  const task = config['albert_ts_task'];
  return { model, tokenizer, labels, task: typeof task === 'string' ? task : undefined };
}

/**
 * {@link evaluateExamples}' result: accuracy and F1, the spread of the pooled `[CLS]` output over the examples, and
 * the majority baseline of their labels.
 */
export type ClassifierEvaluation = ClassificationMetrics & {
  /** Mean over hidden units of the standard deviation across examples of the pooled output (0: collapsed). */
  pooledSpread: number;
  /** The most frequent label (its index; the smallest among ties) and its share: the accuracy of predicting it always. */
  majorityClass: number;
  majorityRate: number;
};

/** Accuracy and F1 of a classifier on encoded examples (batched, no dropout), its pooled `[CLS]` spread, the majority rate. */
export function evaluateExamples(model: AlbertForPreTraining, d: EncodedExamples, batchSize: number): ClassifierEvaluation {
  const head = model.head<SequenceClassificationHead>(CLASSIFIER_HEAD)!;
  const preds = new Int32Array(d.n);
  const h = model.config.hiddenSize;
  const sum = new Float64Array(h);
  const sumSq = new Float64Array(h);
  for (let i = 0; i < d.n; i += batchSize) {
    const b = exampleBatch(d, Array.from({ length: Math.min(batchSize, d.n - i) }, (_, k) => i + k));
    try {
      const [p, pooled] = tf.tidy(() => {
        const out = model.albert.apply(b);
        return [tf.argMax(head.logits(out.poolerOutput!, createApplyContext()), -1), out.poolerOutput!];
      });
      preds.set(p.dataSync() as Int32Array, i);
      const v = pooled.dataSync(); // [rows, H]
      for (let k = 0; k < v.length; k++) { sum[k % h] += v[k]; sumSq[k % h] += v[k] * v[k]; }
      tf.dispose([p, pooled]);
    } finally {
      disposeBatch(b);
    }
  }
  let spread = 0;
  for (let k = 0; k < h && d.n > 0; k++) spread += Math.sqrt(Math.max(0, sumSq[k] / d.n - (sum[k] / d.n) ** 2)) / h;
  const counts = new Array<number>(head.numLabels).fill(0);
  for (let i = 0; i < d.n; i++) counts[d.labels[i]] += 1;
  const majorityClass = counts.indexOf(Math.max(...counts));
  return {
    ...classificationMetrics(preds, d.labels, head.numLabels), pooledSpread: spread, majorityClass,
    majorityRate: d.n === 0 ? 0 : counts[majorityClass] / d.n,
  };
}
