import * as tf from '@tensorflow/tfjs-core';
import {
  AlbertForPreTraining, type AlbertModel, type AlbertOutputs, CheckpointError, createApplyContext, type EmbeddingModule,
  type HfTensor, modelFromHf, type Objective, type SharingStrategy, describeHfTensors,
} from '@albert-ts/core';
import { MlmHead, mlm } from './mlm.js';
import { MultipleChoiceHead, multipleChoice } from './multiple-choice.js';
import { QuestionAnsweringHead, questionAnswering } from './question-answering.js';
import { SentenceHead, sop } from './sentence.js';
import { SequenceClassificationHead, sequenceClassification } from './sequence-classification.js';
import { TokenClassificationHead, tokenClassification } from './token-classification.js';

/** The HF ALBERT model classes a checkpoint can be saved from. */
export const HF_ARCHITECTURES = [
  'AlbertModel', 'AlbertForPreTraining', 'AlbertForMaskedLM', 'AlbertForSequenceClassification',
  'AlbertForTokenClassification', 'AlbertForQuestionAnswering', 'AlbertForMultipleChoice',
] as const;
export type HfArchitecture = (typeof HF_ARCHITECTURES)[number];

/** What an HF checkpoint is: its model class, the heads to build, and its labels. */
export interface HfTask {
  readonly architecture: HfArchitecture;
  readonly objectives: readonly Objective[];
  readonly addPoolingLayer: boolean;
  /** `id2label` in id order (HF default `LABEL_i`), for the classification heads. */
  readonly labels?: readonly string[];
  /** config.json `problem_type` of a sequence classifier (null when HF infers it). */
  readonly problemType?: string | null;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Rows of a head's `[out, in]` torch weight: the number of labels. */
function rowsOf(tensors: ReadonlyMap<string, HfTensor>, name: string, architecture: string): number {
  const t = tensors.get(name);
  if (t === undefined || t.shape.length !== 2) throw new CheckpointError(`${architecture} checkpoint has no 2-D "${name}" tensor`);
  return t.shape[0]!;
}

function labelsOf(json: Record<string, unknown>, numLabels: number): string[] {
  const id2label = json.id2label;
  const labels = Array.from({ length: numLabels }, (_, i) => `LABEL_${i}`);
  if (isRecord(id2label)) {
    for (const [k, v] of Object.entries(id2label)) {
      const i = Number(k);
      if (!Number.isInteger(i) || i < 0 || i >= numLabels || typeof v !== 'string') {
        throw new CheckpointError(`config.json id2label["${k}"]=${JSON.stringify(v)} does not name one of the ${numLabels} outputs`);
      }
      labels[i] = v;
    }
  }
  return labels;
}

function architectureOf(json: Record<string, unknown>, names: readonly string[]): HfArchitecture {
  const list = json.architectures;
  if (Array.isArray(list) && list.length > 0) {
    const a = list[0];
    if (!(HF_ARCHITECTURES as readonly unknown[]).includes(a)) {
      throw new CheckpointError(`config.json architectures[0]=${JSON.stringify(a)} is not one of ${HF_ARCHITECTURES.join(', ')}`);
    }
    return a as HfArchitecture;
  }
  // No architectures: what the tensors say, where that is unambiguous.
  const contents = describeHfTensors(names);
  const has = (prefix: string) => names.some((n) => n.startsWith(prefix));
  if (has('qa_outputs.')) return 'AlbertForQuestionAnswering';
  if (has('classifier.')) {
    throw new CheckpointError('config.json has no architectures, and classifier.* can be a sequence, token or '
      + 'multiple-choice head; add "architectures": ["AlbertFor..."]');
  }
  if (contents.hasSopHead) return 'AlbertForPreTraining';
  if (contents.hasMlmHead) return contents.hasPooler ? 'AlbertForPreTraining' : 'AlbertForMaskedLM';
  return 'AlbertModel';
}

/**
 * Reads which HF model class a checkpoint was saved from (`architectures[0]` of config.json, else inferred from the
 * tensor names where that is unambiguous) and the heads to build for it, as HF builds them: the task classes
 * without a pooler except sequence classification and multiple choice; `AlbertForPreTraining` with `[mlm(), sop()]`
 * (or only the heads whose tensors the file has); the number of labels from the head's weight.
 */
export function hfTaskOf(configJson: unknown, tensors: ReadonlyMap<string, HfTensor>): HfTask {
  if (!isRecord(configJson)) throw new CheckpointError('config.json must be a JSON object');
  const names = [...tensors.keys()].map((n) => (n.startsWith('albert.') ? n.slice(7) : n));
  const architecture = architectureOf(configJson, names);
  const contents = describeHfTensors(names);
  switch (architecture) {
    case 'AlbertModel':
      return { architecture, objectives: [], addPoolingLayer: contents.hasPooler };
    case 'AlbertForPreTraining': {
      const objectives: Objective[] = [];
      if (contents.hasMlmHead) objectives.push(mlm());
      if (contents.hasSopHead) objectives.push(sop());
      return { architecture, objectives, addPoolingLayer: contents.hasPooler };
    }
    case 'AlbertForMaskedLM':
      return { architecture, objectives: [mlm()], addPoolingLayer: false };
    case 'AlbertForQuestionAnswering':
      return { architecture, objectives: [questionAnswering()], addPoolingLayer: false };
    case 'AlbertForMultipleChoice':
      return { architecture, objectives: [multipleChoice()], addPoolingLayer: true };
    case 'AlbertForTokenClassification': {
      const numLabels = rowsOf(tensors, 'classifier.weight', architecture);
      return {
        architecture, objectives: [tokenClassification({ numLabels })], addPoolingLayer: false,
        labels: labelsOf(configJson, numLabels),
      };
    }
    case 'AlbertForSequenceClassification': {
      const numLabels = rowsOf(tensors, 'classifier.weight', architecture);
      const problemType = typeof configJson.problem_type === 'string' ? configJson.problem_type : null;
      return {
        architecture,
        objectives: [sequenceClassification({ numLabels, problemType: numLabels === 1 ? 'regression' : 'single_label_classification' })],
        addPoolingLayer: true, labels: labelsOf(configJson, numLabels), problemType,
      };
    }
  }
}

/** Options of {@link hfTaskModelFromHf}. */
export interface HfTaskModelOptions {
  /** Embedding module, e.g. `factorized()`. */
  readonly embeddings: EmbeddingModule;
  /** Sharing to build; default from config.json. */
  readonly sharing?: SharingStrategy;
}

/** A checkpoint's model with the heads of its HF class (see {@link hfTaskOf}). */
export interface HfTaskModel {
  readonly task: HfTask;
  /** The backbone. */
  readonly albert: AlbertModel;
  /** The whole model (heads included), or the backbone for `AlbertModel` checkpoints. */
  readonly model: AlbertModel | AlbertForPreTraining;
  dispose(): void;
}

/**
 * Loads an HF checkpoint (config.json contents and its tensors) with the heads of the HF class it was saved from,
 * e.g. the `classifier.*` of an `AlbertForSequenceClassification`.
 */
export function hfTaskModelFromHf(
  configJson: unknown, tensors: ReadonlyMap<string, HfTensor>, options: HfTaskModelOptions,
): HfTaskModel {
  const task = hfTaskOf(configJson, tensors);
  const model = modelFromHf(configJson, tensors, {
    embeddings: options.embeddings, sharing: options.sharing, addPoolingLayer: task.addPoolingLayer,
    objectives: task.objectives.length > 0 ? task.objectives : undefined,
  });
  const albert = model instanceof AlbertForPreTraining ? model.albert : model;
  return { task, albert, model, dispose: () => model.dispose() };
}

/**
 * The head outputs HF returns for a batch, in eval mode, named as HF's `ModelOutput` fields:
 * `prediction_logits` `[B, T, V]` and `sop_logits` `[B, 2]` (AlbertForPreTraining), `logits` (`[B, T, V]` masked
 * LM, `[B, C]` sequence classification, `[B, T, C]` token classification), `start_logits`/`end_logits` `[B, T]`
 * (question answering). Multiple choice needs `[B, C, T]` inputs and is not computed here. Call inside `tf.tidy`.
 */
export function hfTaskOutputs(m: HfTaskModel, out: AlbertOutputs): Record<string, tf.Tensor> {
  const named: Record<string, tf.Tensor> = {};
  if (!(m.model instanceof AlbertForPreTraining)) return named;
  const ctx = createApplyContext({ training: false });
  for (const head of m.model.heads) {
    if (head instanceof MlmHead) {
      named[m.task.architecture === 'AlbertForPreTraining' ? 'prediction_logits' : 'logits'] = head.logits(out.lastHiddenState);
    } else if (head instanceof SentenceHead && out.poolerOutput) {
      named.sop_logits = head.logits(out.poolerOutput, ctx);
    } else if (head instanceof SequenceClassificationHead && out.poolerOutput) {
      named.logits = head.logits(out.poolerOutput, ctx);
    } else if (head instanceof TokenClassificationHead) {
      named.logits = head.logits(out.lastHiddenState, ctx);
    } else if (head instanceof QuestionAnsweringHead) {
      const { startLogits, endLogits } = head.logits(out.lastHiddenState);
      named.start_logits = startLogits;
      named.end_logits = endLogits;
    } else if (!(head instanceof MultipleChoiceHead)) {
      throw new CheckpointError(`no HF output for head "${head.name}"`);
    }
  }
  return named;
}
