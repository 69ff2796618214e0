// Hostile input, fuzzed (`pnpm fuzz --parser jsonl|inputs-json|cli-args --runs N`): the JSON Lines `albert tokenize`
// reads from stdin, the `--inputs` JSON of `albert forward`, and command lines of every command.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  fc, fixturePath, fuzzParser, fuzzRuns, fuzzSelected, fuzzTimeout, hostileJsonText, mutatedJson, readJsonFixture,
} from '@albert-ts/testing';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';
import { readJsonFile } from '../src/args.js';
import { UsageError } from '../src/command.js';
import { tokenizeLines } from '../src/commands/tokenize.js';
import { parseTokenInputs } from '../src/token-inputs.js';
import { utf8Lines } from '../src/utf8-lines.js';
import { runMain } from './run-cli.js';

// Training commands run the real argument handling against stub recipes that check what they are given: a fuzzed
// command line must never start a real training run.
const trained = vi.hoisted(() => ({ calls: 0 }));
vi.mock('@albert-ts/recipes', () => {
  const checkOptions = (o: Record<string, unknown>): void => {
    trained.calls++;
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`the CLI passed ${k}=${v} to the recipe`);
    }
  };
  return {
    pretrain: async (o: Record<string, unknown>) => {
      checkOptions(o);
      return { status: 'completed', step: 1, checkpoint: 'x', backend: 'cpu', parameterCount: 1, tokensPerSecond: 1, train: [], eval: [] };
    },
    finetune: async (o: Record<string, unknown>) => {
      checkOptions(o);
      return { status: 'completed', task: 'spam', checkpoint: 'x', validation: [], test: {} };
    },
    evaluateClassifier: async (o: Record<string, unknown>) => {
      checkOptions(o);
      return { accuracy: 1, f1: 1, macroF1: 1, count: 1 };
    },
  };
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-cli-fuzz-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const model = fixturePath('sentencepiece', 'unigram2k.model');
const tokenizer = loadAlbertTokenizer(model);

/** A valid JSON Lines line: a string, {"text"} or {"text","text_pair"} (any Unicode, lone surrogates included). */
const validLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map((t) => JSON.stringify(t)) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map((t) => JSON.stringify({ text: t })) },
  { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([t, p]) => JSON.stringify({ text: t, text_pair: p })) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '\t', '"\\ud800"', '{"text": "", "text_pair": ""}') },
);

/** Any line: valid, or hostile JSON, or not JSON at all. */
const anyLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: validLine },
  { weight: 1, arbitrary: hostileJsonText() },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('{"text": 3}', '[]', 'null', '{"text_pair": "x"}') },
);

/** stdin bytes: lines joined by LF or CRLF (maybe a BOM, maybe invalid UTF-8), cut into chunks anywhere. */
const stdinChunks: fc.Arbitrary<Buffer[]> = fc.tuple(
  fc.oneof(fc.array(validLine, { maxLength: 12 }), fc.array(anyLine, { maxLength: 12 })),
  fc.constantFrom('\n', '\r\n'),
  fc.boolean(),
  fc.oneof( // one case in five gets bytes that may break UTF-8 somewhere
    { weight: 4, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 3 }).filter((b) => b.some((x) => x >= 0x80))) },
  ),
  fc.array(fc.nat(), { maxLength: 6 }),
).map(([lines, eol, bom, bad, cuts]) => {
  let bytes = Buffer.from((bom ? '\ufeff' : '') + lines.join(eol) + (lines.length > 0 ? eol : ''), 'utf8');
  if (bad !== null) {
    const k = bad[0] % (bytes.length + 1);
    bytes = Buffer.concat([bytes.subarray(0, k), Buffer.from(bad[1]), bytes.subarray(k)]);
  }
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) { chunks.push(bytes.subarray(last, p)); last = p; }
  return chunks;
});

describe('fuzz: albert tokenize stdin (strict UTF-8 lines, then JSON Lines)', () => {
  const runs = fuzzRuns(2000);
  it.skipIf(!fuzzSelected('jsonl'))(`${runs} cases: one output line per input line, or one UsageError naming the line`, async () => {
    const report = await fuzzParser({
      name: 'jsonl',
      runs,
      arbitrary: fc.tuple(stdinChunks, fc.boolean(), fc.boolean(), fc.option(fc.integer({ min: 2, max: 40 }), { nil: undefined })),
      run: async ([chunks, albert, pair, maxLength]) => {
        const out: string[] = [];
        const options = { tokenizer, albert, pair, maxLength: albert ? maxLength : undefined };
        await tokenizeLines(utf8Lines(Readable.from(chunks)), options, (l) => { out.push(l); });
        return out;
      },
      accepts: (err) => err instanceof UsageError,
      size: ([chunks]) => chunks.reduce((n, c) => n + c.length, 0),
      allocationFactor: 64, // encoding builds lattices per character of each line
      check: ([chunks], result) => {
        const bytes = Buffer.concat(chunks);
        let text: string;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          throw new Error('invalid UTF-8 on stdin was tokenized without an error');
        }
        const expected = text.split('\n').filter((l) => l.trim() !== '').length;
        const out = result as string[];
        if (out.length !== expected) throw new Error(`${out.length} output lines for ${expected} input lines`);
        for (const l of out) {
          const o = JSON.parse(l) as { ids?: number[]; input_ids?: number[] };
          for (const id of [...(o.ids ?? []), ...(o.input_ids ?? [])]) {
            if (!Number.isInteger(id) || id < 0 || id >= 2000) throw new Error(`id ${id}`);
          }
        }
      },
    });
    expect(report.runs).toBe(runs);
  }, fuzzTimeout(runs));
});

const fx = readJsonFixture<{ config: { vocab_size: number; max_position_embeddings: number }; inputs: unknown }>('hf-albert', 'tiny_groups.json');
const limits = { vocabSize: fx.config.vocab_size, typeVocabSize: 2, maxPositionEmbeddings: fx.config.max_position_embeddings };

/** Inputs a model accepts, as JSON text: ids near the limits, optional types and mask, and unused null fields. */
const validInputs: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: limits.maxPositionEmbeddings }))
  .chain(([b, t]) => {
    const matrix = (max: number) => fc.array(fc.array(fc.integer({ min: 0, max }), { minLength: t, maxLength: t }), { minLength: b, maxLength: b });
    return fc.record({
      input_ids: matrix(limits.vocabSize - 1),
      token_type_ids: fc.option(matrix(1), { nil: undefined }),
      attention_mask: fc.option(matrix(1)),
    }, { requiredKeys: ['input_ids'] });
  }).map((o) => JSON.stringify(o));

describe('fuzz: albert forward --inputs (JSON file)', () => {
  const runs = fuzzRuns(2000);
  it.skipIf(!fuzzSelected('inputs-json'))(`${runs} cases: valid [B][T] ids within the model's limits, or one UsageError`, async () => {
    const file = path.join(tmp, 'inputs.json');
    const report = await fuzzParser({
      name: 'inputs-json',
      runs,
      arbitrary: fc.oneof(
        { weight: 3, arbitrary: validInputs },
        { weight: 6, arbitrary: mutatedJson(fx.inputs) },
        { weight: 1, arbitrary: hostileJsonText() },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      ),
      run: (text) => {
        fs.writeFileSync(file, text);
        return parseTokenInputs(readJsonFile(file, 'inputs'), limits);
      },
      accepts: (err) => err instanceof UsageError,
      size: (text) => text.length * 2,
      check: (_text, result) => {
        const r = result as ReturnType<typeof parseTokenInputs>;
        const n = r.batchSize * r.seqLength;
        if (r.seqLength > limits.maxPositionEmbeddings || r.inputIds.length !== n) throw new Error('bad shape');
        if (r.inputIds.some((v) => v < 0 || v >= limits.vocabSize)) throw new Error('id out of range');
        if (r.tokenTypeIds?.some((v) => v < 0 || v > 1) || r.attentionMask?.some((v) => v !== 0 && v !== 1)) throw new Error('bad types or mask');
      },
    });
    expect(report.runs).toBe(runs);
  }, fuzzTimeout(runs));
});

/** Flags (options without a value) of the commands. */
const FLAGS = new Set(['--albert', '--pair', '--quiet', '--resume', '--from-scratch']);

describe('fuzz: command lines of every albert command', () => {
  const runs = fuzzRuns(1500);
  it.skipIf(!fuzzSelected('cli-args'))(`${runs} cases: exit 0, or exit 2 with one line on stderr; never a crash`, async () => {
    // Everything a command line names lives in a scratch directory, which is also the working directory: a fuzzed
    // --out must never reach the shared fixtures or a device (a rename over /dev/null replaces the device).
    const dir = path.join(tmp, 'files');
    fs.mkdirSync(dir);
    const fixtureBefore = fs.readFileSync(fixturePath('sentencepiece', 'unigram2k.model'));
    const model = path.join(dir, 'spiece.model');
    fs.copyFileSync(fixturePath('sentencepiece', 'unigram2k.model'), model);
    const modelDir = path.join(dir, 'model');
    fs.mkdirSync(modelDir);
    fs.writeFileSync(path.join(modelDir, 'config.json'), JSON.stringify(fx.config));
    fs.copyFileSync(fixturePath('hf-albert', 'tiny_groups.safetensors'), path.join(modelDir, 'model.safetensors'));
    const inputs = path.join(dir, 'inputs.json');
    fs.writeFileSync(inputs, JSON.stringify(fx.inputs));
    const corpus = path.join(dir, 'corpus.txt');
    fs.writeFileSync(corpus, 'The first sentence is here.\nAnother one follows it.\nAnd a third.\n\nA second document starts.\n' +
      'It ends now.\nOr does it?\n');
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify(fx.config));
    const out = (name: string) => path.join(dir, name);
    const ints = (...v: number[]) => v.map(String);
    /** Values each option accepts (so that many command lines get past parsing), per command. */
    const VALID: Record<string, Record<string, string[]>> = {
      params: {
        '--config': ['albert-base', 'albert-tiny', 'albert-xxlarge', config], '--embedding-size': ints(16, 128),
        '--sharing': ['all', 'attention', 'ffn', 'none', 'groups:2', 'groups:2x2'], '--projection': ['auto', 'always'],
        '--head': ['none', 'pretraining'],
      },
      tokenize: { '--model': [model], '--albert': [], '--pair': [], '--max-length': ints(2, 8, 64) },
      forward: { '--model': [modelDir], '--inputs': [inputs], '--out': [out('forward.json'), '-'], '--backend': ['cpu'] },
      'pretraining-data': {
        '--corpus': [corpus], '--format': ['sentence-per-line', 'prose'], '--split': ['train', 'all'], '--vocab': [model],
        '--vocab-size': ints(40), '--objective': ['sop', 'nsp', 'none'], '--max-seq-length': ints(8, 32), '--seed': ints(0, 1),
        '--masked-lm-prob': ['0.15', '0'], '--max-predictions': ints(2, 5), '--ngram': ints(1, 3), '--dupe-factor': ints(1, 2),
        '--short-seq-prob': ['0.1', '1'], '--out': [out('instances.jsonl'), '-'],
      },
      'train-tokenizer': {
        '--input': [corpus], '--vocab-size': ints(30, 60), '--model-type': ['unigram', 'bpe'], '--out': [out('t.model')],
        '--character-coverage': ['1', '0.9995'], '--max-sentencepiece-length': ints(4, 16),
        '--normalization': ['nmt_nfkc', 'identity'], '--user-defined-symbols': ['a,b', ''], '--control-symbols': ['[X]'],
        '--quiet': [],
      },
      pretrain: {
        '--config': ['albert-tiny', config], '--embedding-size': ints(8), '--sharing': ['all', 'none'],
        '--objective': ['sop', 'nsp', 'none'], '--corpus': [corpus, 'sotu'], '--vocab': [model], '--steps': ints(1, 10),
        '--batch-size': ints(2), '--max-seq-length': ints(16, 32), '--lr': ['0.001', '1e-4'], '--warmup': ints(0, 1),
        '--optimizer': ['lamb', 'adamw'], '--grad-accum': ints(1, 2), '--eval-every': ints(0, 5), '--eval-examples': ints(2, 8), '--max-predictions': ints(1, 5), '--save-every': ints(1),
        '--seed': ints(0, 7), '--backend': ['cpu', 'cpu', 'cpu', 'wasm'], '--out': [out('run')], '--resume': [],
      },
      finetune: {
        '--model': [modelDir], '--task': ['spam', 'sotu-party', 'moby-vs-sotu'], '--epochs': ints(1), '--lr': ['1e-3'],
        '--batch-size': ints(4), '--max-seq-length': ints(16), '--seed': ints(0), '--from-scratch': [], '--max-train': ints(8),
        '--backend': ['cpu'], '--out': [out('ft')], '--save-every': ints(1, 2), '--resume': [], '--max-eval': ints(4),
      },
      eval: { '--model': [modelDir], '--task': ['spam'], '--split': ['test', 'validation'], '--max-seq-length': ints(16), '--backend': ['cpu'] },
    };
    const hostile = fc.oneof(
      fc.constantFrom('0', '-1', '1e309', '3.5', ' 4', '0x10', '', '-', '--', 'NaN', 'Infinity', '9007199254740993',
        'groups:0', 'groups:99', path.join(dir, 'missing'), dir, path.join(dir, 'no-dir', 'x'), corpus, model),
      fc.string({ maxLength: 12 }).map((v) => v.replaceAll('/', '_')), // relative to the scratch directory
      fc.integer({ min: -10, max: 1_000_000 }).map(String),
    );
    const optionArgs = (cmd: string, option: string): fc.Arbitrary<string[]> => {
      const valid = VALID[cmd]![option]!;
      if (FLAGS.has(option)) {
        return fc.oneof({ weight: 9, arbitrary: fc.constant<string[]>([option]) }, { weight: 1, arbitrary: hostile.map((v) => [`${option}=${v}`]) });
      }
      return fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: hostile }), fc.boolean())
        .map(([v, eq]) => (eq ? [`${option}=${v}`] : [option, v]));
    };
    const commandLine = fc.constantFrom(...Object.keys(VALID)).chain((cmd) => fc.tuple(
      fc.subarray(Object.keys(VALID[cmd]!)).chain((options) => fc.tuple(...options.map((o) => optionArgs(cmd, o)))),
      fc.array(fc.oneof(hostile, fc.constantFrom('--help', '-h', '--bogus', '-x', '--', '---')), { maxLength: 1 }),
      fc.nat(),
    ).map(([parts, stray, at]) => {
      const args = parts.flat();
      const k = at % (args.length + 1);
      return [cmd, ...args.slice(0, k), ...stray, ...args.slice(k)];
    }));
    const codes = new Map<number, number>();
    const report = await fuzzParser({
      name: 'cli-args',
      runs,
      arbitrary: fc.oneof(
        { weight: 19, arbitrary: commandLine },
        { weight: 1, arbitrary: fc.array(fc.oneof(hostile, fc.constantFrom('--help', 'help', '')), { maxLength: 4 }) },
      ),
      run: async (argv) => {
        const descriptor = Object.getOwnPropertyDescriptor(process, 'stdin')!;
        Object.defineProperty(process, 'stdin', { value: Readable.from(['"hello world"\n']), configurable: true });
        const cwd = process.cwd();
        process.chdir(dir);
        try {
          return await runMain(argv);
        } finally {
          process.chdir(cwd);
          Object.defineProperty(process, 'stdin', descriptor);
        }
      },
      accepts: () => false, // main itself must never throw
      size: (argv) => argv.join(' ').length,
      allocationFactor: Infinity, // commands that succeed load models and corpora
      caseTimeLimitMs: 10_000,
      check: (argv, result) => {
        const r = result as Awaited<ReturnType<typeof runMain>>;
        codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
        const name = argv[0];
        if (r.code === 0 || name === undefined) return; // bare `albert`: usage on stdout, exit 2
        if (r.code !== 2) throw new Error(`exit code ${r.code}: ${r.stderr}`);
        // Progress lines may come first (train-tokenizer, pretraining-data); the error is exactly one short line.
        const prefix = VALID[name] !== undefined ? `albert ${name}: ` : 'albert: ';
        const lines = r.stderr.split('\n');
        const errors = lines.filter((l) => l.startsWith(prefix));
        if (!r.stderr.endsWith('\n') || errors.length !== 1 || errors[0]!.length > 1000 || lines.some((l) => /^\s+at /.test(l))) {
          throw new Error(`not one error line on stderr: ${JSON.stringify(r.stderr.slice(0, 300))}`);
        }
      },
    });
    expect(report.runs).toBe(runs);
    expect(fs.readFileSync(fixturePath('sentencepiece', 'unigram2k.model')).equals(fixtureBefore)).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]); // no atomic write left its temp file
    // The generator must reach the commands themselves, not only the option parser.
    expect(codes.get(0) ?? 0).toBeGreaterThan(runs / 20);
    expect(trained.calls).toBeGreaterThan(0);
  }, fuzzTimeout(runs));
});

describe('utf8Lines', () => {
  it('splits like a plain decoder on LF, drops CR before LF and the first BOM, for any chunking', async () => {
    await fc.assert(fc.asyncProperty(stdinChunks, async (chunks) => {
      const bytes = Buffer.concat(chunks);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // also drops a leading BOM
      } catch {
        return;
      }
      const got: string[] = [];
      for await (const l of utf8Lines(Readable.from(chunks))) got.push(l);
      const want = text.split('\n').map((l) => l.replace(/\r$/, ''));
      if (want.at(-1) === '') want.pop();
      expect(got).toEqual(want);
    }), { numRuns: 500 });
  });
});
