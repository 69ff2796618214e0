// `albert params`: analytic parameter counts of a configuration, split like HuggingFace's modules.

import { countParams } from '@albert-ts/core';
import { loadConfig } from '@albert-ts/core/node';
import { writeOutput } from '@albert-ts/core/process';
import { SHARING_NAMES, parseSharing } from '@albert-ts/sharing';
import { choiceOption, intOption, parseOptions } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';

const USAGE = 'usage: albert params --config <preset|config.json> [--embedding-size N] ' +
  `[--sharing ${SHARING_NAMES.join('|')}] [--projection auto|always] [--head none|pretraining]`;

export const command: Command = {
  name: 'params',
  summary: 'Print the parameter count of a configuration (JSON: total, embeddings, encoder, pooler, heads)',
  async run(argv) {
    const opts = parseOptions(argv, {
      config: { type: 'string' },
      'embedding-size': { type: 'string' },
      sharing: { type: 'string' },
      projection: { type: 'string', default: 'always' },
      head: { type: 'string', default: 'none' },
    });
    if (opts.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (opts.config === undefined) throw new UsageError(`missing required option --config; ${USAGE}`);
    const config = loadConfig(opts.config);
    const embeddingSize = opts['embedding-size'] === undefined
      ? undefined : intOption(opts['embedding-size'], 'embedding-size');
    const sharing = opts.sharing === undefined ? undefined : parseSharing(opts.sharing);
    const projection = choiceOption(opts.projection, 'projection', ['auto', 'always']);
    const head = choiceOption(opts.head, 'head', ['none', 'pretraining']);

    const counts = countParams(config, { embeddingSize, sharing, projection, head });
    const result = {
      total: counts.total,
      embeddings: counts.embeddings,
      encoder: counts.encoder,
      pooler: counts.pooler,
      heads: counts.heads,
      settings: {
        vocab_size: config.vocabSize,
        embedding_size: embeddingSize ?? config.embeddingSize,
        hidden_size: config.hiddenSize,
        num_hidden_layers: config.numHiddenLayers,
        intermediate_size: config.intermediateSize,
        sharing: sharing?.name ?? `config (num_hidden_groups=${config.numHiddenGroups}, ` +
          `inner_group_num=${config.innerGroupNum})`,
        projection,
        head,
      },
    };
    await writeOutput(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  },
};
