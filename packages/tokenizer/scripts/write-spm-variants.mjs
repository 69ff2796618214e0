// Writes the model variants of test/spm-variants.ts as .model files (run from the package after `tsc` builds
// dist and the test helper): node scripts/write-spm-variants.mjs OUT_DIR
// The variant table is compiled from the test file with tsc into OUT_DIR/spm-variants.js first (see gen script).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const out = process.argv[2];
const { decodeModelProto, encodeModelProto } = await import(pathToFileURL(path.resolve('dist/index.js')).href);
const { variants, extraTexts } = await import(pathToFileURL(path.join(out, 'spm-variants.js')).href);
const shared = path.resolve('../../../shared/fixtures/sentencepiece');
const unigram = decodeModelProto(new Uint8Array(fs.readFileSync(path.join(shared, 'unigram2k.model'))));
const bpe = decodeModelProto(new Uint8Array(fs.readFileSync(path.join(shared, 'bpe500.model'))));
for (const [name, make] of Object.entries(variants)) {
  fs.writeFileSync(path.join(out, `${name}.model`), encodeModelProto(make({ unigram, bpe })));
}
const cases = fs.readFileSync(path.join(shared, 'cases.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l)).filter((c, i) => c.id.startsWith('edge-') || i % 5 === 0).map((c) => c.text);
fs.writeFileSync(path.join(out, 'texts.json'), JSON.stringify([...cases, ...extraTexts]));
