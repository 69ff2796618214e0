// `albert train-tokenizer`: trains a SentencePiece model (unigram or BPE) on text files, as spm_train does with
// ALBERT's flags, on the text preprocessed as the ALBERT tokenizer will preprocess it, and writes an HF tokenizer
// directory (or a bare .model file), atomically.

import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '@albert-ts/core/node';
import {
  ALBERT_PREPROCESSING, decodeTrainingText, tokenizerFiles, trainAlbertTokenizer, type TrainerProgress,
} from '@albert-ts/tokenizer';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { choiceOption, intOption, parseOptions, readInputFile, requireOption } from '../args.js';

const HELP = `usage: albert train-tokenizer --input <files...> --vocab-size N [--model-type unigram|bpe] --out <dir|file.model>
  [--keep-case] [--keep-accents] [--character-coverage X] [--max-sentencepiece-length N]
  [--normalization nmt_nfkc|identity] [--user-defined-symbols a,b,...] [--control-symbols a,b,...] [--quiet]
Trains a SentencePiece model on UTF-8 text files (one sentence per line) with ALBERT's spm_train flags by default
(pad 0, unk 1, no bos/eos, control [CLS],[SEP],[MASK], user-defined ( ) " - . – £ €, coverage 0.99995). The text is
first preprocessed exactly as the ALBERT tokenizer preprocesses its input: lower-cased and accents stripped (HF's
do_lower_case=True, keep_accents=False) unless --keep-case / --keep-accents, so every learned piece can be produced.
--out <dir> writes an HF tokenizer directory: spiece.model, and tokenizer_config.json + special_tokens_map.json
recording those settings (HF's AutoTokenizer reads them). --out <file.model> writes the model alone (default
settings only). Progress goes to stderr; a JSON summary line to stdout.`;

/** Splits `--input a b c --other` (several values after one flag) into the files and the remaining arguments. */
function takeInputs(argv: string[]): { inputs: string[]; rest: string[] } {
  const inputs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--input') {
      let j = i + 1;
      while (j < argv.length && !argv[j]!.startsWith('--')) inputs.push(argv[j++]!);
      if (j === i + 1) throw new UsageError('--input needs at least one file');
      i = j - 1;
    } else if (a.startsWith('--input=')) {
      inputs.push(...a.slice('--input='.length).split(',').filter((s) => s !== ''));
    } else rest.push(a);
  }
  return { inputs, rest };
}

function symbolList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value === '' ? [] : value.split(',');
}

/** Progress on stderr: one rewritten line on a terminal, plain lines (phase changes and every 5%) otherwise. */
function progressPrinter(quiet: boolean): { report: (p: TrainerProgress) => void; finish: () => void } {
  if (quiet) return { report: () => {}, finish: () => {} };
  const tty = process.stderr.isTTY === true;
  const start = Date.now();
  let lastPhase = '';
  let lastFraction = -1;
  let dirty = false;
  return {
    report: (p) => {
      const secs = ((Date.now() - start) / 1000).toFixed(1);
      const pct = `${Math.floor(p.fraction * 100)}`.padStart(3);
      if (tty) {
        const width = 20;
        const filled = Math.round(p.fraction * width);
        const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
        const cols = process.stderr.columns ?? 100;
        process.stderr.write(`\r[${bar}] ${pct}% ${secs}s ${p.message}`.slice(0, cols - 1).padEnd(cols - 1));
        dirty = true;
      } else if (p.phase !== lastPhase || p.fraction - lastFraction >= 0.05 || p.phase === 'done') {
        process.stderr.write(`train-tokenizer: ${pct}% ${secs}s ${p.phase}: ${p.message}\n`);
        lastFraction = p.fraction;
      }
      lastPhase = p.phase;
    },
    finish: () => {
      if (dirty) process.stderr.write('\n');
    },
  };
}

/** Writes a file atomically (core's temp file + fsync + rename); a failure is a one-line usage error. */
function writeModelFile(file: string, bytes: Uint8Array | string): void {
  try {
    writeFileAtomicSync(file, bytes);
  } catch (err) {
    throw new UsageError(`cannot write --out '${file}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

export const command: Command = {
  name: 'train-tokenizer',
  summary: 'train a SentencePiece unigram/BPE model on text files (spm_train with ALBERT flags)',
  async run(argv) {
    const { inputs, rest } = takeInputs(argv);
    const opts = parseOptions(rest, {
      'vocab-size': { type: 'string' },
      'model-type': { type: 'string' },
      out: { type: 'string' },
      'character-coverage': { type: 'string' },
      'max-sentencepiece-length': { type: 'string' },
      normalization: { type: 'string' },
      'user-defined-symbols': { type: 'string' },
      'control-symbols': { type: 'string' },
      'keep-case': { type: 'boolean' },
      'keep-accents': { type: 'boolean' },
      quiet: { type: 'boolean' },
    });
    if (opts.help) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (inputs.length === 0) throw new UsageError('missing required option --input');
    const vocabSize = intOption(requireOption(opts['vocab-size'], 'vocab-size'), 'vocab-size', 1, 1 << 24);
    const modelType = choiceOption(opts['model-type'] ?? 'unigram', 'model-type', ['unigram', 'bpe'] as const);
    const out = requireOption(opts.out, 'out');
    let characterCoverage: number | undefined;
    if (opts['character-coverage'] !== undefined) {
      characterCoverage = Number(opts['character-coverage']);
      if (!Number.isFinite(characterCoverage)) {
        throw new UsageError(`--character-coverage must be a number, got '${opts['character-coverage']}'`);
      }
    }
    const maxSentencepieceLength = opts['max-sentencepiece-length'] === undefined
      ? undefined : intOption(opts['max-sentencepiece-length'], 'max-sentencepiece-length', 1, 512);
    const normalizationRuleName = opts.normalization === undefined
      ? undefined : choiceOption(opts.normalization, 'normalization', ['nmt_nfkc', 'identity'] as const);

    const preprocessing = {
      ...ALBERT_PREPROCESSING, doLowerCase: opts['keep-case'] !== true, keepAccents: opts['keep-accents'] === true,
    };
    const modelFileOnly = out.endsWith('.model');
    if (modelFileOnly && (opts['keep-case'] === true || opts['keep-accents'] === true)) {
      throw new UsageError('--keep-case/--keep-accents need --out <dir>: a bare .model file is read with ALBERT\'s '
        + 'lower-casing, and only a directory\'s tokenizer_config.json records the settings');
    }
    const outDir = path.dirname(path.resolve(out));
    if (!fs.existsSync(outDir)) throw new UsageError(`cannot write --out '${out}': no such directory '${outDir}'`);
    if (!modelFileOnly && fs.existsSync(out) && !fs.statSync(out).isDirectory()) {
      throw new UsageError(`cannot write --out '${out}': it is a file (give a directory, or a name ending in .model)`);
    }
    const start = Date.now();
    const files = inputs.map((f) => ({ name: f, bytes: readInputFile(f, '--input file') }));
    function* lines(): Generator<string> {
      for (const f of files) yield* decodeTrainingText(f.bytes, f.name);
    }
    const progress = progressPrinter(opts.quiet === true);
    let trained;
    try {
      trained = trainAlbertTokenizer(lines(), {
        preprocessing,
        vocabSize,
        modelType,
        characterCoverage,
        maxSentencepieceLength,
        normalizationRuleName,
        userDefinedSymbols: symbolList(opts['user-defined-symbols']),
        controlSymbols: symbolList(opts['control-symbols']),
        inputNames: inputs,
        onProgress: progress.report,
      });
    } finally {
      progress.finish();
    }
    const bytes = trained.sp.toBytes();
    if (modelFileOnly) {
      writeModelFile(out, bytes);
    } else {
      fs.mkdirSync(out, { recursive: true });
      for (const [name, data] of tokenizerFiles(trained)) writeModelFile(path.join(out, name), data);
    }
    process.stdout.write(JSON.stringify({
      out, model_type: modelType, vocab_size: trained.vocabSize, bytes: bytes.length,
      do_lower_case: preprocessing.doLowerCase, keep_accents: preprocessing.keepAccents,
      seconds: Number(((Date.now() - start) / 1000).toFixed(2)),
    }) + '\n');
    return 0;
  },
};
