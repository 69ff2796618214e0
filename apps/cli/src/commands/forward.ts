// `albert forward`: run a HuggingFace-layout model directory on token ids and write its outputs as JSON.

import * as tf from '@tensorflow/tfjs-core';
import { configFromHf } from '@albert-ts/core';
import { readHfDirectory, writeFileAtomic } from '@albert-ts/core/node';
import { writeOutput } from '@albert-ts/core/process';
import { factorized } from '@albert-ts/embeddings';
import { hfTaskModelFromHf, hfTaskOutputs } from '@albert-ts/objectives';
import { parseOptions, readJsonFile, requireOption } from '../args.js';
import { BACKEND_USAGE, selectBackend } from '../backend-option.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { parseTokenInputs } from '../token-inputs.js';

const USAGE = 'usage: albert forward --model <dir with config.json + model.safetensors> --inputs <inputs.json> ' +
  `--out <outputs.json|-> [--backend ${BACKEND_USAGE}]  (--out -: the JSON on stdout, one line)`;

/** Output fields in the order they are written: the backbone's, then the heads' (HF ModelOutput names). */
const HEAD_FIELDS = ['prediction_logits', 'sop_logits', 'logits', 'start_logits', 'end_logits'];

export const command: Command = {
  name: 'forward',
  summary: 'Run a HuggingFace-layout model on token ids; write its outputs (backbone and task head) as JSON',
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
    const files = readHfDirectory(modelDir);
    const c = configFromHf(files.config);
    const inputs = parseTokenInputs(readJsonFile(inputsPath, 'inputs'), {
      vocabSize: c.vocabSize, typeVocabSize: c.typeVocabSize, maxPositionEmbeddings: c.maxPositionEmbeddings,
    });

    await selectBackend(opts.backend);
    const loaded = hfTaskModelFromHf(files.config, files.tensors, { embeddings: factorized() });
    try {
      if (loaded.task.architecture === 'AlbertForMultipleChoice') {
        throw new UsageError('AlbertForMultipleChoice checkpoints need [B][C][T] inputs, which forward does not take; '
          + 'their backbone can be run by removing "architectures" and classifier.* from the directory');
      }
      const shape: [number, number] = [inputs.batchSize, inputs.seqLength];
      const outputs = tf.tidy(() => {
        const inputIds = tf.tensor2d(inputs.inputIds, shape, 'int32');
        const tokenTypeIds = inputs.tokenTypeIds && tf.tensor2d(inputs.tokenTypeIds, shape, 'int32');
        const attentionMask = inputs.attentionMask && tf.tensor2d(inputs.attentionMask, shape, 'int32');
        const out = loaded.albert.apply({ inputIds, tokenTypeIds, attentionMask }, { outputHiddenStates: true });
        const named: Record<string, tf.Tensor> = { last_hidden_state: out.lastHiddenState };
        if (out.poolerOutput) named.pooler_output = out.poolerOutput;
        out.hiddenStates?.forEach((h, i) => { named[`hidden_states.${i}`] = h; });
        return { ...named, ...hfTaskOutputs(loaded, out) };
      });
      try {
        const result: Record<string, unknown> = {};
        const hiddenStates: unknown[] = [];
        for (const [name, t] of Object.entries(outputs)) {
          const value = await t.array();
          if (name.startsWith('hidden_states.')) hiddenStates[Number(name.slice(14))] = value;
          else result[name] = value;
        }
        const ordered: Record<string, unknown> = { last_hidden_state: result.last_hidden_state };
        if (result.pooler_output !== undefined) ordered.pooler_output = result.pooler_output;
        ordered.hidden_states = hiddenStates;
        for (const f of HEAD_FIELDS) if (result[f] !== undefined) ordered[f] = result[f];
        if (outPath === '-') {
          await writeOutput(`${JSON.stringify(ordered)}\n`);
        } else {
          await writeFileAtomic(outPath, JSON.stringify(ordered)).catch((err: NodeJS.ErrnoException) => {
            throw new UsageError(`cannot write --out '${outPath}': ${err.code ?? err.message}`);
          });
        }
      } finally {
        tf.dispose(Object.values(outputs));
      }
    } finally {
      loaded.dispose();
    }
    return 0;
  },
};
