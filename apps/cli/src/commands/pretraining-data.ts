// `albert pretraining-data`: ALBERT pretraining instances (n-gram MLM + SOP/NSP) from a text corpus, as JSON Lines.

import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '@albert-ts/core/node';
import { writeOutput } from '@albert-ts/core/process';
import { type AlbertTokenizer, trainAlbertTokenizer } from '@albert-ts/tokenizer';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';
import {
  BUNDLED_CORPORA, SENTENCE_OBJECTIVES, type PretrainingInstance, type PieceTokenizer, type SentenceObjective,
  type TextDocument, checkCorpusForObjective, createPretrainingInstances, fromAlbertTokenizer, openCorpus,
  streamInstancesJsonl, tokenizeDocuments, vocabInfo, writeInstancesJsonl,
} from '@albert-ts/data';
import { choiceOption, intOption, parseOptions } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';

const USAGE = 'usage: albert pretraining-data --corpus <path|' + BUNDLED_CORPORA.join('|') + '> ' +
  '--objective sop|nsp|none --max-seq-length N --seed S --out <file.jsonl|-> [--vocab <dir|spiece.model>] ' +
  '[--vocab-size N] [--format sentence-per-line|prose] [--split train|validation|test|all] [--masked-lm-prob P] ' +
  '[--max-predictions N] [--ngram N] [--dupe-factor N] [--short-seq-prob P]';

const HELP = `${USAGE}
Writes one instance per line: {"input_ids","token_type_ids","masked_lm_positions","masked_lm_ids","label","doc"}
(label: SOP 1 = swapped, NSP 1 = random next, null for none). A --corpus path is a file or a directory of files in
the BERT/ALBERT format (one sentence per line, blank line between documents), or plain prose with --format prose.
Bundled corpora use --split (default train). --vocab is an HF tokenizer directory (spiece.model with its
tokenizer_config.json) or a .model file. Without --vocab, a unigram vocabulary of --vocab-size pieces (default
8000) is trained on the corpus (lower-cased and accent-stripped, as the ALBERT tokenizer reads it) and saved beside
the output as <out>.spiece.model. Same arguments and seed give a byte-identical file. --out - writes the instances
to stdout (needs --vocab); the summary goes to stderr.`;

const SPLITS = ['train', 'validation', 'test', 'all'] as const;

function probOption(value: string, name: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v < 0 || v > 1) throw new UsageError(`--${name} must be a number in [0, 1], got '${value}'`);
  return v;
}

export const command: Command = {
  name: 'pretraining-data',
  summary: 'Create ALBERT pretraining instances (n-gram MLM + SOP/NSP) from a corpus as JSON Lines',
  async run(argv) {
    const o = parseOptions(argv, {
      corpus: { type: 'string' },
      format: { type: 'string', default: 'sentence-per-line' },
      split: { type: 'string', default: 'train' },
      vocab: { type: 'string' },
      'vocab-size': { type: 'string', default: '8000' },
      objective: { type: 'string' },
      'max-seq-length': { type: 'string' },
      seed: { type: 'string' },
      'masked-lm-prob': { type: 'string' },
      'max-predictions': { type: 'string' },
      ngram: { type: 'string' },
      'dupe-factor': { type: 'string' },
      'short-seq-prob': { type: 'string' },
      out: { type: 'string' },
    });
    if (o.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    for (const k of ['corpus', 'objective', 'max-seq-length', 'seed', 'out'] as const) {
      if (o[k] === undefined || o[k] === '') throw new UsageError(`missing required option --${k}; ${USAGE}`);
    }
    const corpus = o.corpus as string;
    const out = o.out as string;
    const objective = choiceOption(o.objective as string, 'objective', SENTENCE_OBJECTIVES) as SentenceObjective;
    const format = choiceOption(o.format as string, 'format', ['sentence-per-line', 'prose'] as const);
    const splitOpt = choiceOption(o.split as string, 'split', SPLITS);
    const split = splitOpt === 'all' ? undefined : splitOpt;
    const maxSeqLength = intOption(o['max-seq-length'] as string, 'max-seq-length', objective === 'none' ? 3 : 5, 65536);
    const seed = intOption(o.seed as string, 'seed', 0);
    // Unset options take @albert-ts/data's defaults (create_pretraining_data.py's).
    const opt = <T>(v: string | undefined, f: (s: string) => T): T | undefined => (v === undefined ? undefined : f(v));
    const maskedLmProb = opt(o['masked-lm-prob'], (v) => probOption(v, 'masked-lm-prob'));
    const maxPredictionsPerSeq = opt(o['max-predictions'], (v) => intOption(v, 'max-predictions', 0, maxSeqLength));
    const ngram = opt(o.ngram, (v) => intOption(v, 'ngram', 1, 10));
    const dupeFactor = opt(o['dupe-factor'], (v) => intOption(v, 'dupe-factor', 1, 1000));
    const shortSeqProb = opt(o['short-seq-prob'], (v) => probOption(v, 'short-seq-prob'));
    const vocabSize = intOption(o['vocab-size'] as string, 'vocab-size', 16, 1 << 20);
    const toStdout = out === '-';
    if (toStdout && o.vocab === undefined) {
      throw new UsageError('--out - needs --vocab (without it the trained vocabulary is saved beside --out)');
    }
    if (!toStdout && !fs.existsSync(path.dirname(path.resolve(out)))) {
      throw new UsageError(`--out '${out}': directory does not exist`);
    }

    let docs = openCorpus(corpus, { split, format });
    let albert: AlbertTokenizer;
    if (o.vocab !== undefined) {
      try {
        albert = loadAlbertTokenizer(o.vocab);
      } catch (err) {
        if (err instanceof Error && err.name === 'TokenizerError') throw new UsageError(`--vocab '${o.vocab}': ${err.message.split('\n')[0]}`);
        throw err;
      }
    } else {
      const all: TextDocument[] = [];
      for await (const d of docs) all.push(d);
      docs = all;
      const lines = all.flatMap((d) => d.sentences);
      const modelFile = `${out}.spiece.model`;
      process.stderr.write(`no --vocab: training a ${vocabSize}-piece unigram vocabulary on the corpus (${lines.length} sentences) -> ${modelFile}\n`);
      albert = trainAlbertTokenizer(lines, { vocabSize, inputNames: [corpus] });
      writeFileAtomicSync(modelFile, albert.sp.toBytes());
    }
    const tokenizer: PieceTokenizer = fromAlbertTokenizer(albert);
    const tokenized = await tokenizeDocuments(docs, tokenizer);
    checkCorpusForObjective(tokenized, objective, `corpus '${corpus}'`);
    const vocab = vocabInfo(tokenizer);

    let masked = 0, maskable = 0, ones = 0, labelled = 0;
    const { cls, sep } = tokenizer.specialIds;
    function* counted(xs: Iterable<PretrainingInstance>): Generator<PretrainingInstance> {
      for (const x of xs) {
        masked += x.maskedLmPositions.length;
        for (const id of x.inputIds) if (id !== cls && id !== sep) maskable++;
        if (x.label !== null) { labelled++; ones += x.label; }
        yield x;
      }
    }
    const instances = counted(createPretrainingInstances(tokenized, vocab, {
      objective, maxSeqLength, seed, maskedLmProb, maxPredictionsPerSeq, ngram, dupeFactor, shortSeqProb,
    }));
    const n = toStdout ? await streamInstancesJsonl(instances, (chunk) => writeOutput(chunk))
      : await writeInstancesJsonl(out, instances);
    const labelInfo = labelled > 0 ? `, label 1 in ${(ones / labelled).toFixed(3)}` : '';
    process.stderr.write(`wrote ${n} instances from ${tokenized.length} documents to ${toStdout ? 'stdout' : out}: masked ${(masked / Math.max(1, maskable)).toFixed(4)} of maskable tokens${labelInfo}\n`);
    return 0;
  },
};
