// `albert forward`: run a HuggingFace-layout model directory on token ids and write its outputs as JSON.

import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  type AlbertConfig, type AlbertModel, AlbertForPreTraining, CheckpointError, type Objective, type SafetensorsTensor,
  configFromHf, describeHfTensors, modelFromHf, readSafetensors,
} from '@albert-ts/core';
import { writeFileAtomic } from '@albert-ts/core/node';
import { factorized } from '@albert-ts/embeddings';
import { type MlmHead, type SentenceHead, mlm, sop } from '@albert-ts/objectives';
import { parseOptions, readInputFile, readJsonFile, requireOption } from '../args.js';
import { BACKEND_USAGE, selectBackend } from '../backend-option.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { parseTokenInputs } from '../token-inputs.js';

const USAGE = 'usage: albert forward --model <dir with config.json + model.safetensors> --inputs <inputs.json> ' +
  `--out <outputs.json> [--backend ${BACKEND_USAGE}]`;

/** The contents of a model directory, read and validated (no tensors yet). */
interface ModelFiles {
  readonly configJson: unknown;
  readonly config: AlbertConfig;
  readonly tensors: Map<string, SafetensorsTensor>;
}

/** The model of a directory plus the heads its checkpoint has weights for. */
interface LoadedModel {
  readonly albert: AlbertModel;
  readonly mlm?: MlmHead;
  readonly sop?: SentenceHead;
  dispose(): void;
}

/** Reads `<dir>/config.json` and `<dir>/model.safetensors`; bad files throw one-line errors. */
function readModelDir(dir: string): ModelFiles {
  const configJson = readJsonFile(path.join(dir, 'config.json'), 'model config');
  const config = configFromHf(configJson);
  const weightsPath = path.join(dir, 'model.safetensors');
  let tensors: Map<string, SafetensorsTensor>;
  try {
    tensors = readSafetensors(readInputFile(weightsPath, 'model weights'));
  } catch (err) {
    if (err instanceof CheckpointError) throw new CheckpointError(`${weightsPath}: ${err.message}`);
    throw err;
  }
  return { configJson, config, tensors };
}

/** Builds the model (and the MLM/SOP heads present in the file) on the current backend. */
function buildModel(files: ModelFiles): LoadedModel {
  const contents = describeHfTensors(files.tensors.keys());
  const objectives: Objective[] = [];
  if (contents.hasMlmHead) objectives.push(mlm());
  if (contents.hasSopHead) {
    if (!contents.hasPooler) throw new CheckpointError('the checkpoint has sop_classifier.* but no pooler.* weights');
    objectives.push(sop());
  }
  // Without heads, modelFromHf returns a plain AlbertModel.
  const model = modelFromHf(files.configJson, files.tensors,
    { embeddings: factorized(), objectives: objectives.length > 0 ? objectives : undefined });
  if (model instanceof AlbertForPreTraining) {
    return {
      albert: model.albert,
      mlm: model.head<MlmHead>('mlm'),
      sop: model.head<SentenceHead>('sop'),
      dispose: () => model.dispose(),
    };
  }
  return { albert: model, dispose: () => model.dispose() };
}

export const command: Command = {
  name: 'forward',
  summary: 'Run a HuggingFace-layout model (config.json + model.safetensors) on token ids; write outputs as JSON',
  async run(argv) {
    const opts = parseOptions(argv, {
      model: { type: 'string' },
      inputs: { type: 'string' },
      out: { type: 'string' },
      backend: { type: 'string', default: 'cpu' },
    });
    if (opts.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const modelDir = requireOption(opts.model, 'model');
    const inputsPath = requireOption(opts.inputs, 'inputs');
    const outPath = requireOption(opts.out, 'out');
    const files = readModelDir(modelDir);
    const c = files.config;
    const inputs = parseTokenInputs(readJsonFile(inputsPath, 'inputs'), {
      vocabSize: c.vocabSize, typeVocabSize: c.typeVocabSize, maxPositionEmbeddings: c.maxPositionEmbeddings,
    });

    await selectBackend(opts.backend);
    const loaded = buildModel(files);
    try {
      const shape: [number, number] = [inputs.batchSize, inputs.seqLength];
      const outputs = tf.tidy(() => {
        const inputIds = tf.tensor2d(inputs.inputIds, shape, 'int32');
        const tokenTypeIds = inputs.tokenTypeIds && tf.tensor2d(inputs.tokenTypeIds, shape, 'int32');
        const attentionMask = inputs.attentionMask && tf.tensor2d(inputs.attentionMask, shape, 'int32');
        const out = loaded.albert.apply({ inputIds, tokenTypeIds, attentionMask }, { outputHiddenStates: true });
        const named: Record<string, tf.Tensor> = { last_hidden_state: out.lastHiddenState };
        if (out.poolerOutput) named.pooler_output = out.poolerOutput;
        out.hiddenStates?.forEach((h, i) => { named[`hidden_states.${i}`] = h; });
        if (loaded.mlm) named.prediction_logits = loaded.mlm.logits(out.lastHiddenState);
        if (loaded.sop && out.poolerOutput) named.sop_logits = loaded.sop.logits(out.poolerOutput);
        return named;
      });
      try {
        const result: Record<string, unknown> = {};
        const hiddenStates: unknown[] = [];
        for (const [name, t] of Object.entries(outputs)) {
          const value = await t.array();
          if (name.startsWith('hidden_states.')) hiddenStates[Number(name.slice(14))] = value;
          else result[name] = value;
        }
        const ordered = {
          last_hidden_state: result.last_hidden_state,
          ...(result.pooler_output === undefined ? {} : { pooler_output: result.pooler_output }),
          hidden_states: hiddenStates,
          ...(result.prediction_logits === undefined ? {} : { prediction_logits: result.prediction_logits }),
          ...(result.sop_logits === undefined ? {} : { sop_logits: result.sop_logits }),
        };
        await writeFileAtomic(outPath, JSON.stringify(ordered)).catch((err: NodeJS.ErrnoException) => {
          throw new UsageError(`cannot write --out '${outPath}': ${err.code ?? err.message}`);
        });
      } finally {
        tf.dispose(Object.values(outputs));
      }
    } finally {
      loaded.dispose();
    }
    return 0;
  },
};
