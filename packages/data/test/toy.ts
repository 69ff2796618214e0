// Test helpers: a toy word-piece tokenizer and a synthetic corpus whose every piece names its position, so tests
// can check instance provenance (document, sentence, word) from the ids alone.
import type { PieceTokenizer, TextDocument } from '../src/index.js';
import { Rng } from '../src/index.js';

/** Words are split on spaces; a word `a|b|c` becomes pieces `▁a`, `b`, `c`. Ids 0-4: <pad> <unk> [CLS] [SEP] [MASK]. */
export class ToyTokenizer implements PieceTokenizer {
  readonly pieces: string[] = ['<pad>', '<unk>', '[CLS]', '[SEP]', '[MASK]'];
  private readonly index = new Map<string, number>();
  readonly specialIds = { pad: 0, cls: 2, sep: 3, mask: 4 };

  constructor(texts: Iterable<string>) {
    this.pieces.forEach((p, i) => this.index.set(p, i));
    for (const t of texts) for (const p of this.split(t)) if (!this.index.has(p)) { this.index.set(p, this.pieces.length); this.pieces.push(p); }
  }
  get vocabSize(): number { return this.pieces.length; }
  private split(text: string): string[] {
    return text.split(/\s+/).filter(Boolean).flatMap((w) => w.split('|').map((p, i) => (i === 0 ? `\u2581${p}` : p)));
  }
  encode(text: string): number[] { return this.split(text).map((p) => this.index.get(p) ?? 1); }
  idToPiece(id: number): string { return this.pieces[id]; }
  isUnknown(id: number): boolean { return id === 1; }
}

/** Synthetic corpus: doc d, sentence s, word w is `d{d}s{s}w{w}` plus 0-2 continuation pieces (p 0.8, 0.15, 0.05: about 1.25 pieces a word, like English SentencePiece) `...p1|...p2`. */
export function toyCorpus(numDocs: number, seed = 1, sentences: [number, number] = [2, 12], words: [number, number] = [3, 14]): TextDocument[] {
  const rng = new Rng(seed, 'toy');
  const docs: TextDocument[] = [];
  for (let d = 0; d < numDocs; d++) {
    const ns = rng.int(sentences[0], sentences[1]);
    const sents: string[] = [];
    for (let s = 0; s < ns; s++) {
      const nw = rng.int(words[0], words[1]);
      const ws: string[] = [];
      for (let w = 0; w < nw; w++) {
        const base = `d${d}s${s}w${w}`;
        const extra = rng.categorical([16, 3, 1]);
        ws.push([base, ...Array.from({ length: extra }, (_, j) => `${base}p${j + 1}`)].join('|'));
      }
      sents.push(ws.join(' '));
    }
    docs.push({ id: `doc${d}`, sentences: sents });
  }
  return docs;
}

/** Parses a toy piece back to its position: `▁d3s5w7` / `d3s5w7p1` → {doc, sent, word, piece}. */
export function piecePosition(piece: string): { doc: number; sent: number; word: number; piece: number } | null {
  const m = /^\u2581?d(\d+)s(\d+)w(\d+)(?:p(\d+))?$/.exec(piece);
  return m ? { doc: +m[1], sent: +m[2], word: +m[3], piece: m[4] ? +m[4] : 0 } : null;
}
