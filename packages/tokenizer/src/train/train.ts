import { TokenizerError } from '../errors.js';
import { Normalizer } from '../normalizer/normalizer.js';
import { encodeModelProto, type ModelProto, type NormalizerSpecProto } from '../proto/index.js';
import { utf8Decode, utf8Encode } from '../utf8.js';
import { trainBpePieces } from './bpe-trainer.js';
import { loadTrainingCorpus } from './corpus.js';
import { buildMetaPieces } from './meta-pieces.js';
import { buildModelProto } from './model-writer.js';
import { nmtNfkcCharsmap } from './nmt-nfkc.js';
import { resolveTrainerOptions, type TrainerOptions, type TrainerProgress } from './options.js';
import { trainUnigramPieces } from './unigram-trainer.js';

/** A trained SentencePiece model. */
export interface TrainedModel {
  /** The model as a decoded `ModelProto` (load it with `new SentencePieceModel(proto)`). */
  readonly proto: ModelProto;
  /** The serialized `.model` file, loadable by SentencePiece itself. */
  readonly bytes: Uint8Array;
}

/**
 * Trains a SentencePiece model (unigram by default, or BPE) on `lines` — one sentence per element — the way
 * `spm_train` 0.1.97 does, with ALBERT's flags as defaults (see {@link TrainerOptions}), and returns the
 * `.model` bytes. Bad options or unusable input throw a one-line {@link TokenizerError}.
 *
 * ```ts
 * const { bytes } = trainSentencePiece(text.split('\n'), { vocabSize: 2000 });
 * const sp = SentencePieceModel.fromBytes(bytes);
 * ```
 */
export function trainSentencePiece(lines: Iterable<string>, options: TrainerOptions): TrainedModel {
  const o = resolveTrainerOptions(options);
  const report = (p: TrainerProgress): void => o.onProgress?.(p);
  const meta = buildMetaPieces(o);
  const normalizerSpec: NormalizerSpecProto = {
    name: o.normalizationRuleName,
    precompiledCharsmap: o.normalizationRuleName === 'nmt_nfkc' ? nmtNfkcCharsmap() : new Uint8Array(0),
    addDummyPrefix: o.addDummyPrefix,
    removeExtraWhitespaces: o.removeExtraWhitespaces,
    escapeWhitespaces: true,
    normalizationRuleTsv: '',
  };
  const normalizer = new Normalizer({
    precompiledCharsmap: normalizerSpec.precompiledCharsmap,
    addDummyPrefix: o.addDummyPrefix,
    removeExtraWhitespaces: o.removeExtraWhitespaces,
    escapeWhitespaces: true,
  });
  const normalize = (text: string): string => utf8Decode(normalizer.normalize(utf8Encode(text)).bytes);

  const corpus = loadTrainingCorpus(lines, o, meta, normalize);
  report({
    phase: 'load',
    message: `loaded ${corpus.sentences.length} sentences (${corpus.linesRead} lines read), alphabet size ${corpus.requiredChars.length}`,
    fraction: 0.02,
  });
  const available = o.vocabSize - meta.length;
  if (corpus.requiredChars.length > available) {
    throw new TokenizerError(
      `vocabSize ${o.vocabSize} is smaller than the ${corpus.requiredChars.length} required characters plus ${meta.length} reserved pieces; increase vocabSize or lower characterCoverage`,
    );
  }

  const pieces = o.modelType === 'bpe'
    ? trainBpePieces(corpus, o, available, report).pieces
    : trainUnigramPieces(corpus, o, meta.length, report).pieces;
  if (pieces.length < available) {
    throw new TokenizerError(
      `vocabSize ${o.vocabSize} is too high for this input; it supports at most ${pieces.length + meta.length}`,
    );
  }
  const proto = buildModelProto(o, meta, pieces, normalizerSpec);
  const bytes = encodeModelProto(proto);
  report({ phase: 'done', message: `trained ${proto.pieces!.length} pieces`, size: proto.pieces!.length, fraction: 1 });
  return { proto, bytes };
}

/**
 * Splits the bytes of a training text file into lines (LF; a trailing CR is kept as SentencePiece keeps it),
 * rejecting malformed UTF-8 with a {@link TokenizerError} naming `name` and the byte offset.
 */
export function decodeTrainingText(bytes: Uint8Array, name: string): string[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new TokenizerError(`${name}: not valid UTF-8 (at byte ${firstInvalidUtf8(bytes)})`);
  }
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Byte offset of the first malformed UTF-8 sequence in `b` (b.length if none). */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0 || i + n >= b.length) return i;
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (b[i + 1]! < lo || b[i + 1]! > hi) return i;
    for (let k = 2; k <= n; k++) if (b[i + k]! < 0x80 || b[i + k]! > 0xbf) return i;
    i += n + 1;
  }
  return b.length;
}
