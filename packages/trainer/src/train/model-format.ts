import * as tf from '@tensorflow/tfjs-core';
import {
  AlbertForPreTraining, AlbertModel, HF_CONFIG_FILE, HF_WEIGHTS_FILE, type HfFiles, type HfFilesOptions,
  hfModelFiles, loadHfTensors, readSafetensors, writeSafetensors,
} from '@albert-ts/core';
import { TrainerError } from '../errors.js';
import type { TrainableModel } from './trainable.js';

/**
 * How a checkpoint stores a model's weights: the files to write and how to load them back (exactly). Browser-safe:
 * a checkpointer supplies the bytes (`read(path)` returns a file of the checkpoint, undefined when missing).
 */
export interface ModelFormat<M> {
  files(model: M): HfFiles;
  load(model: M, read: (path: string) => Uint8Array | undefined, where: string): void;
}

/** File of {@link parametersFormat}. */
export const PARAMETERS_FILE = 'parameters.safetensors';

function required(read: (path: string) => Uint8Array | undefined, file: string, where: string): Uint8Array {
  const bytes = read(file);
  if (bytes === undefined) throw new TrainerError(`checkpoint ${where} has no ${file}`);
  return bytes;
}

/** Any trainable model: `namedParameters()` as one safetensors file (the trainer's names and layouts). */
export function parametersFormat(): ModelFormat<TrainableModel<unknown>> {
  return {
    files: (model) => {
      const data = new Map<string, { shape: number[]; data: Float32Array }>();
      for (const [name, v] of model.namedParameters()) data.set(name, { shape: [...v.shape], data: v.dataSync() as Float32Array });
      return new Map([[PARAMETERS_FILE, writeSafetensors(data, { format: 'albert-ts' })]]);
    },
    load: (model, read, where) => {
      const file = readSafetensors(required(read, PARAMETERS_FILE, where));
      const params = model.namedParameters();
      for (const [name, v] of params) {
        const t = file.get(name);
        if (t === undefined) throw new TrainerError(`checkpoint ${where}: ${PARAMETERS_FILE} has no parameter '${name}'`);
        if (t.shape.join(',') !== v.shape.join(',')) {
          throw new TrainerError(`checkpoint ${where}: parameter '${name}' has shape [${t.shape}], the model has [${v.shape}]`);
        }
      }
      for (const [name, v] of params) tf.tidy(() => v.assign(tf.tensor(file.get(name)!.data, v.shape, 'float32')));
    },
  };
}

/**
 * An ALBERT model (`AlbertModel` or `AlbertForPreTraining`, any sharing and heads) as a HuggingFace directory
 * (`hfModelFiles` of core: config.json, model.safetensors, and the tokenizer files and config keys passed in), so
 * every checkpoint also loads with `from_pretrained`.
 */
export function hfFormat(options: HfFilesOptions = {}): ModelFormat<AlbertModel | AlbertForPreTraining> {
  return {
    files: (model) => hfModelFiles(model, options),
    load: (model, read, where) => {
      const config = JSON.parse(new TextDecoder().decode(required(read, HF_CONFIG_FILE, where))) as Record<string, unknown>;
      const tensors = readSafetensors(required(read, HF_WEIGHTS_FILE, where));
      loadHfTensors(model, tensors, Number(config['num_hidden_groups']));
    },
  };
}

/** {@link hfFormat} for ALBERT models, {@link parametersFormat} for any other model. */
export function defaultFormat<M>(model: M): ModelFormat<M> {
  const albert = model instanceof AlbertModel || model instanceof AlbertForPreTraining;
  return (albert ? hfFormat() : parametersFormat()) as unknown as ModelFormat<M>;
}
