// Writes the playground's bundled data (served as static files, nothing is fetched from the internet):
//   public/data/corpus.txt    a small slice of the three bundled corpora (SOTU, Moby Dick, SpamAssassin), the same
//                             number of evenly spaced documents from each, in the sentence-per-line format
//   public/data/spiece.model  a 2,000-piece unigram SentencePiece vocabulary trained on that slice (the vocabulary
//                             size of core's albert-tiny / albert-mini presets), on text lower-cased and
//                             accent-stripped the way AlbertTokenizer preprocesses its input
//   public/data/manifest.json what was written, from what, with sizes and SHA-256 digests
// Deterministic: the same packages give byte-identical files. Run after building the workspace:
//   corepack pnpm --filter @albert-ts/playground make-data
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evenlySpaced, loadBundledCorpus, toPretrainingText } from '@albert-ts/data';
import { AlbertTokenizer, trainSentencePiece } from '@albert-ts/tokenizer';

const DOCS_PER_SOURCE = 40;
const MAX_SENTENCES_PER_DOC = 24;
const VOCAB_SIZE = 2000;
const SOURCES = ['sotu', 'moby-dick', 'spam-assassin'];

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'data');
fs.mkdirSync(out, { recursive: true });

const blocks = SOURCES.map((s) => toPretrainingText(evenlySpaced(loadBundledCorpus(s), DOCS_PER_SOURCE), MAX_SENTENCES_PER_DOC));
const corpus = blocks.map((b) => b.trimEnd()).join('\n\n') + '\n';
const lines = corpus.split('\n').filter((l) => l.trim() !== '');

// Train on the text as the tokenizer will see it (lower-cased, accents stripped), so that every piece is reachable.
// A throwaway tokenizer gives the preprocessing without a vocabulary of its own.
const bootstrap = trainSentencePiece(lines.slice(0, 200), { vocabSize: 300 });
const preprocess = AlbertTokenizer.fromBytes(bootstrap.bytes);
const spiece = trainSentencePiece(lines.map((l) => preprocess.preprocessText(l)), { vocabSize: VOCAB_SIZE });

const write = (name, data) => {
  const file = path.join(out, name);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return { file: name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
};
const files = [write('corpus.txt', corpus), write('spiece.model', spiece.bytes)];
const manifest = {
  generator: 'apps/playground/scripts/make-data.mjs',
  corpus: {
    sources: SOURCES, docs_per_source: DOCS_PER_SOURCE, max_sentences_per_doc: MAX_SENTENCES_PER_DOC,
    documents: corpus.split(/\n\n+/).filter((b) => b.trim() !== '').length, sentences: lines.length,
  },
  vocabulary: { type: 'unigram', vocab_size: VOCAB_SIZE, trained_on: 'corpus.txt, AlbertTokenizer-preprocessed' },
  files,
};
write('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
console.log(JSON.stringify(manifest));
