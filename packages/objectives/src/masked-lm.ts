import * as tf from '@tensorflow/tfjs-core';
import type { AlbertConfig, AlbertForPreTraining, AlbertInputs, HfTensor } from '@albert-ts/core';
import { ConfigError } from '@albert-ts/core';
import { mlm, MlmHead, type MlmOptions } from './mlm.js';
import { createTaskModel, taskModelFromHf, type TaskModelFromHfOptions, type TaskModelOptions } from './task-model.js';
import { ignoreIndexCrossEntropy } from './token-classification.js';

/**
 * HF `AlbertForMaskedLM`: a backbone **without** pooler plus the {@link mlm} head (tied decoder, `predictions.*`),
 * no sentence head. Train it with `model.compute(batch)` (sparse targets) or use {@link maskedLmForward} for HF's
 * dense `[B, T, V]` logits and `-100` labels.
 */
export function createMaskedLmModel(
  config: AlbertConfig, options: Omit<TaskModelOptions, 'addPoolingLayer'> & { readonly mlm?: MlmOptions },
): AlbertForPreTraining {
  const { mlm: mlmOptions, ...rest } = options;
  return createTaskModel(config, mlm(mlmOptions), { ...rest, addPoolingLayer: false });
}

/** Loads an HF `AlbertForMaskedLM` (or `AlbertForPreTraining`) checkpoint as {@link createMaskedLmModel}. */
export function maskedLmFromHf(
  configJson: unknown, tensors: ReadonlyMap<string, HfTensor>, options: Omit<TaskModelFromHfOptions, 'addPoolingLayer'>,
): AlbertForPreTraining {
  return taskModelFromHf(configJson, tensors, mlm(), { ...options, addPoolingLayer: false });
}

/** Outputs of {@link maskedLmForward}; the caller owns the tensors. */
export interface MaskedLmOutputs {
  /** `[B, T, V]` prediction logits at every position. */
  readonly logits: tf.Tensor3D;
  /** HF loss (mean CE over labels ≠ -100), present iff labels were given. */
  readonly loss?: tf.Scalar;
}

/**
 * HF `AlbertForMaskedLM.forward` (eval or training mode): full `[B, T, V]` logits and, with dense `labels` int
 * `[B, T]` (`-100` = not a target), the loss `CrossEntropyLoss()` (NaN when every label is `-100`, as in HF).
 */
export function maskedLmForward(
  model: AlbertForPreTraining, inputs: AlbertInputs, labels?: tf.Tensor2D,
  opts: { training?: boolean; dropoutSeed?: number } = {},
): MaskedLmOutputs {
  const head = model.heads.find((h): h is MlmHead => h instanceof MlmHead);
  if (!head) throw new ConfigError('model.heads', model.heads.map((h) => h.name).join(','), 'must include an MLM head');
  return tf.tidy(() => {
    const out = model.albert.apply(inputs, opts);
    const logits = head.logits(out.lastHiddenState);
    return labels === undefined ? { logits } : { logits, loss: ignoreIndexCrossEntropy(logits, labels) };
  });
}
