// Model variants derived from the fixture models by flipping normalizer flags and piece types. The reference ids
// for them (test/fixtures/spm-variants.json) come from python sentencepiece 0.1.97 (scripts/gen-spm-variants.py,
// fed with the .model files that scripts/write-spm-variants.mjs writes with this same table).
import { PieceType, type ModelProto } from '../src/proto/model-proto.js';

export type Variant = (m: { unigram: ModelProto; bpe: ModelProto }) => ModelProto;

const withNormalizer = (m: ModelProto, patch: ModelProto['normalizerSpec']): ModelProto =>
  ({ ...m, normalizerSpec: { ...m.normalizerSpec, ...patch } });
const retype = (m: ModelProto, ids: (id: number, piece: string) => boolean, type: number): ModelProto =>
  ({ ...m, pieces: m.pieces!.map((p, i) => (ids(i, p.piece!) ? { ...p, type } : p)) });

export const variants: Record<string, Variant> = {
  uni_nodummy: ({ unigram }) => withNormalizer(unigram, { addDummyPrefix: false }),
  uni_keepspaces: ({ unigram }) => withNormalizer(unigram, { removeExtraWhitespaces: false }),
  uni_noescape: ({ unigram }) => withNormalizer(unigram, { escapeWhitespaces: false }),
  uni_identity: ({ unigram }) => ({ ...unigram, normalizerSpec: { name: 'identity', precompiledCharsmap: new Uint8Array(0) } }),
  uni_unused: ({ unigram }) => retype(unigram, (i) => i >= 20 && i < 40, PieceType.UNUSED),
  uni_userdef: ({ unigram }) => retype(unigram, (_, p) => p === '▁the' || p === 'ing' || p === '▁of', PieceType.USER_DEFINED),
  bpe_nodummy: ({ bpe }) => withNormalizer(bpe, { addDummyPrefix: false }),
  bpe_keepspaces: ({ bpe }) => withNormalizer(bpe, { removeExtraWhitespaces: false }),
  bpe_unused: ({ bpe }) => retype(bpe, (i) => i >= 30 && i < 80, PieceType.UNUSED),
  bpe_userdef: ({ bpe }) => retype(bpe, (_, p) => p === '▁the' || p === 'ing', PieceType.USER_DEFINED),
  bpe_interior: ({ bpe }) => ({ ...bpe, pieces: [...bpe.pieces!, { piece: 'e▁t', score: -1 }, { piece: 's▁', score: -2 }] }),
};

/** Extra texts beyond the fixture cases, aimed at the flags above. */
export const extraTexts = [
  '  two  spaces  here  ',
  'the theory of the thing is the thing of the theory',
  'singing and ringing',
  'are the states the',
  ' leading and trailing ',
  'tab\tand\nnewline',
];
