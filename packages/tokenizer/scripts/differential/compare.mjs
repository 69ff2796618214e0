// Compares SentencePieceModel and AlbertTokenizer (from dist/) with ref.json; exits 1 on any difference.
import fs from 'node:fs';
import { AlbertTokenizer, SentencePieceModel } from '../../dist/index.js';

const shared = process.argv[2];
const texts = JSON.parse(fs.readFileSync('texts.json', 'utf8'));
const ref = JSON.parse(fs.readFileSync('ref.json', 'utf8'));
let failures = 0;
for (const name of ['unigram2k', 'bpe500']) {
  const m = SentencePieceModel.fromBytes(new Uint8Array(fs.readFileSync(`${shared}/${name}.model`)));
  let bad = 0;
  texts.plain.forEach((t, i) => {
    const [ids, pieces, decoded] = ref.plain[name][i];
    const got = m.encode(t);
    if (JSON.stringify(got.ids) !== JSON.stringify(ids) || JSON.stringify(got.pieces) !== JSON.stringify(pieces) || m.decode(ids) !== decoded) {
      if (bad++ < 5) console.log(name, JSON.stringify(t), JSON.stringify(got.pieces), JSON.stringify(pieces));
    }
  });
  console.log(`${name}: ${texts.plain.length} texts, ${bad} differences`);
  failures += bad;
}
const tok = AlbertTokenizer.fromBytes(new Uint8Array(fs.readFileSync(`${shared}/unigram2k.model`)));
let bad = 0;
texts.albert.forEach((t, i) => {
  const got = tok.tokenize(t);
  if (JSON.stringify(got) !== JSON.stringify(ref.albert[i]) && bad++ < 5) console.log('albert', JSON.stringify(t), JSON.stringify(got), JSON.stringify(ref.albert[i]));
});
console.log(`AlbertTokenizer: ${texts.albert.length} texts, ${bad} differences`);
process.exitCode = failures + bad > 0 ? 1 : 0;
