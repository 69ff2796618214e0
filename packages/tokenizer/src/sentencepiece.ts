import { TokenizerError } from './errors.js';
import { BpeModel } from './model/bpe.js';
import { UnigramModel } from './model/unigram.js';
import { Vocabulary, type SegmentationModel } from './model/vocabulary.js';
import { Normalizer } from './normalizer/normalizer.js';
import { decodeModelProto, encodeModelProto, ModelType, TRAINER_SPEC_DEFAULTS, type ModelProto } from './proto/model-proto.js';
import { utf8Decode, utf8Encode } from './utf8.js';

/** Ids and pieces of an encoded text, as sentencepiece's `encode(text, out_type=...)` returns them. */
export interface Encoding {
  ids: number[];
  /** Piece strings; an unknown run carries its normalized text (e.g. `"▁Ü"`), not `"<unk>"`. */
  pieces: string[];
}

/** An encoding with alignment to the input: piece `k` covers `[offsets[k][0], offsets[k][1])` of the input. */
export interface EncodingWithOffsets extends Encoding {
  offsets: [number, number][];
}

const META = '\u2581';

/**
 * A SentencePiece model (unigram or BPE) loaded from the bytes of a `.model` file. Encoding and decoding follow
 * sentencepiece 0.1.97's `SentencePieceProcessor` exactly: normalization by the model's own precompiled
 * character map, user-defined symbols kept whole, control symbols never matched from text, runs of unknown
 * pieces merged into one.
 *
 * ```ts
 * const sp = SentencePieceModel.fromBytes(bytes);
 * sp.encode('Hello world'); // { ids: [...], pieces: ['▁', 'H', ...] }
 * sp.decode(sp.encodeIds('hello world')); // 'hello world'
 * ```
 */
export class SentencePieceModel {
  /** The decoded `ModelProto`. */
  readonly proto: ModelProto;
  readonly vocabulary: Vocabulary;
  /** `'unigram'` or `'bpe'`. */
  readonly modelType: 'unigram' | 'bpe';
  private readonly normalizer: Normalizer;
  private readonly denormalizer: Normalizer | undefined;
  private readonly model: SegmentationModel;
  private readonly unkSurface: string;
  private bytes: Uint8Array | undefined;

  /** Builds a model from a decoded `ModelProto`; throws {@link TokenizerError} if it is not usable. */
  constructor(proto: ModelProto) {
    this.proto = proto;
    const trainer = proto.trainerSpec ?? {};
    const type = trainer.modelType ?? TRAINER_SPEC_DEFAULTS.modelType;
    if (type !== ModelType.UNIGRAM && type !== ModelType.BPE) {
      throw new TokenizerError(`unsupported SentencePiece model_type ${type} (only UNIGRAM=1 and BPE=2 are supported)`);
    }
    if (trainer.byteFallback === true) {
      throw new TokenizerError('unsupported SentencePiece model: byte_fallback=true');
    }
    if (proto.normalizerSpec === undefined) {
      throw new TokenizerError('not a SentencePiece model: normalizer_spec is missing');
    }
    this.vocabulary = new Vocabulary(proto);
    this.modelType = type === ModelType.BPE ? 'bpe' : 'unigram';
    const spec = proto.normalizerSpec;
    this.normalizer = new Normalizer(
      {
        precompiledCharsmap: spec.precompiledCharsmap,
        addDummyPrefix: spec.addDummyPrefix ?? true,
        removeExtraWhitespaces: spec.removeExtraWhitespaces ?? true,
        escapeWhitespaces: spec.escapeWhitespaces ?? true,
        treatWhitespaceAsSuffix: trainer.treatWhitespaceAsSuffix ?? false,
      },
      this.vocabulary.matcher,
    );
    const denorm = proto.denormalizerSpec;
    this.denormalizer = denorm?.precompiledCharsmap !== undefined && denorm.precompiledCharsmap.length > 0
      ? new Normalizer({
        precompiledCharsmap: denorm.precompiledCharsmap,
        addDummyPrefix: denorm.addDummyPrefix ?? true,
        removeExtraWhitespaces: denorm.removeExtraWhitespaces ?? true,
        escapeWhitespaces: denorm.escapeWhitespaces ?? true,
      })
      : undefined;
    if (trainer.treatWhitespaceAsSuffix === true) {
      throw new TokenizerError('unsupported SentencePiece model: treat_whitespace_as_suffix=true');
    }
    this.model = this.modelType === 'bpe' ? new BpeModel(this.vocabulary) : new UnigramModel(this.vocabulary);
    this.unkSurface = trainer.unkSurface ?? TRAINER_SPEC_DEFAULTS.unkSurface;
  }

  /** Loads a model from the bytes of a `.model` file. */
  static fromBytes(bytes: Uint8Array): SentencePieceModel {
    if (!(bytes instanceof Uint8Array)) throw new TokenizerError('model bytes must be a Uint8Array');
    if (bytes.length === 0) throw new TokenizerError('not a SentencePiece model: the file is empty');
    const model = new SentencePieceModel(decodeModelProto(bytes));
    model.bytes = bytes;
    return model;
  }

  /** The `.model` file: the bytes it was loaded from, else the encoded `proto`. */
  toBytes(): Uint8Array {
    this.bytes ??= encodeModelProto(this.proto);
    return this.bytes;
  }

  /** Number of pieces. */
  get vocabSize(): number {
    return this.vocabulary.size;
  }

  /** Id of a piece (the unknown id when absent), as `PieceToId`. */
  pieceToId(piece: string): number {
    return this.vocabulary.pieceToId(piece);
  }

  /** Piece string of an id. */
  idToPiece(id: number): string {
    this.checkId(id);
    return this.vocabulary.pieces[id]!;
  }

  /** Score of an id. */
  score(id: number): number {
    this.checkId(id);
    return this.vocabulary.scores[id]!;
  }

  /** The unknown id. */
  get unkId(): number {
    return this.vocabulary.unkId;
  }

  /** Whether `id` is a control piece. */
  isControl(id: number): boolean {
    return this.vocabulary.isControl(id);
  }
  /** Whether `id` is the unknown piece. */
  isUnknown(id: number): boolean {
    return this.vocabulary.isUnknown(id);
  }

  private checkId(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabulary.size) {
      throw new TokenizerError(`piece id ${id} is out of range [0, ${this.vocabulary.size})`);
    }
  }

  /** Normalizes text as the model does before segmentation (with `▁` for spaces and the dummy prefix). */
  normalize(text: string): string {
    return utf8Decode(this.normalizer.normalize(toBytes(text)).bytes);
  }

  /** Encodes a string (or UTF-8 bytes; malformed sequences become U+FFFD) into ids and pieces. */
  encode(text: string | Uint8Array): Encoding {
    const normalized = this.normalizer.normalize(toBytes(text)).bytes;
    const seg = this.model.encode(normalized);
    const ids: number[] = [];
    const pieces: string[] = [];
    const vocab = this.vocabulary;
    let prevUnk = false;
    let unkStart = 0;
    for (let k = 0; k < seg.length; k++) {
      const id = seg.ids[k]!;
      const isUnk = vocab.isUnknown(id);
      if (isUnk) {
        if (!prevUnk) {
          unkStart = seg.starts[k]!;
          ids.push(id);
          pieces.push('');
        }
        pieces[pieces.length - 1] = utf8Decode(normalized.subarray(unkStart, seg.ends[k]!));
      } else {
        ids.push(id);
        pieces.push(vocab.pieces[id]!);
      }
      prevUnk = isUnk;
    }
    return { ids, pieces };
  }

  /** Encodes into ids only (faster: no piece strings). */
  encodeIds(text: string | Uint8Array): number[] {
    const normalized = this.normalizer.normalize(toBytes(text)).bytes;
    const seg = this.model.encode(normalized);
    const ids: number[] = [];
    const vocab = this.vocabulary;
    let prevUnk = false;
    for (let k = 0; k < seg.length; k++) {
      const id = seg.ids[k]!;
      const isUnk = vocab.isUnknown(id);
      if (!(isUnk && prevUnk)) ids.push(id);
      prevUnk = isUnk;
    }
    return ids;
  }

  /** Number of pieces `encodeIds(text)` would return. */
  countPieces(text: string | Uint8Array): number {
    return this.encodeIds(text).length;
  }

  /**
   * Encodes and reports, for each piece, the byte range `[begin, end)` of the UTF-8 input it came from, exactly as
   * sentencepiece's `SentencePieceText` (`begin`/`end`); a run of unknown pieces is one piece.
   */
  encodeWithByteOffsets(text: string | Uint8Array): EncodingWithOffsets {
    const input = toBytes(text);
    const norm = this.normalizer.normalize(input, true);
    const normalized = norm.bytes;
    const normToOrig = norm.normToOrig!;
    const seg = this.model.encode(normalized);
    const ids: number[] = [];
    const pieces: string[] = [];
    const offsets: [number, number][] = [];
    const vocab = this.vocabulary;
    let prevUnk = false;
    let unkStart = 0;
    for (let k = 0; k < seg.length; k++) {
      const id = seg.ids[k]!;
      const isUnk = vocab.isUnknown(id);
      const begin = normToOrig[seg.starts[k]!]!;
      const end = normToOrig[seg.ends[k]!]!;
      if (isUnk && prevUnk) {
        pieces[pieces.length - 1] = utf8Decode(normalized.subarray(unkStart, seg.ends[k]!));
        offsets[offsets.length - 1]![1] = end;
      } else {
        if (isUnk) unkStart = seg.starts[k]!;
        ids.push(id);
        pieces.push(isUnk ? utf8Decode(normalized.subarray(seg.starts[k]!, seg.ends[k]!)) : vocab.pieces[id]!);
        offsets.push([begin, end]);
      }
      prevUnk = isUnk;
    }
    return { ids, pieces, offsets };
  }

  /**
   * Encodes a string and reports, for each piece, the UTF-16 range `[start, end)` of `text` it came from
   * (sentencepiece's byte offsets converted to string indices).
   */
  encodeWithOffsets(text: string): EncodingWithOffsets {
    const enc = this.encodeWithByteOffsets(text);
    const byteToUtf16 = utf16Index(text, utf8Encode(text).length);
    return { ...enc, offsets: enc.offsets.map(([b, e]) => [byteToUtf16[b]!, byteToUtf16[e]!]) };
  }

  /**
   * Decodes ids back into text, as sentencepiece's `DecodeIds`: control pieces vanish, the unknown piece becomes
   * `unk_surface` (" ⁇ "), `▁` becomes a space and the leading space of the text is dropped.
   */
  decode(ids: readonly number[]): string {
    for (const id of ids) this.checkId(id);
    return this.decodePieces(ids.map((id) => this.vocabulary.pieces[id]!));
  }

  /** Decodes piece strings (`DecodePieces`). */
  decodePieces(pieces: readonly string[]): string {
    const vocab = this.vocabulary;
    const spec = this.proto.normalizerSpec ?? {};
    const removeExtra = spec.removeExtraWhitespaces ?? true;
    const stripBos = (spec.addDummyPrefix ?? true) || removeExtra;
    let text = '';
    // While at the beginning of the text, a leading "▁" is dropped (the dummy prefix). With
    // remove_extra_whitespaces=false only the first one is; otherwise every one until visible text appears.
    let isBosWs = true;
    for (const piece of pieces) {
      const id = vocab.pieceToId(piece);
      let surface: string;
      let hadBosWs = false;
      if (vocab.isControl(id)) {
        surface = '';
      } else if (vocab.isUnknown(id)) {
        surface = vocab.pieces[id] === piece ? this.unkSurface : piece;
      } else {
        let p = piece;
        if (isBosWs && stripBos && p.startsWith(META)) {
          p = p.slice(1);
          hadBosWs = !removeExtra;
        }
        surface = p.split(META).join(' ');
      }
      if (isBosWs && (surface !== '' || hadBosWs)) isBosWs = false;
      text += surface;
    }
    if (this.denormalizer !== undefined) text = utf8Decode(this.denormalizer.normalize(utf8Encode(text)).bytes);
    return text;
  }
}

function toBytes(text: string | Uint8Array): Uint8Array {
  if (typeof text === 'string') return utf8Encode(text);
  if (text instanceof Uint8Array) return text;
  throw new TokenizerError(`text must be a string or Uint8Array, got ${text === null ? 'null' : typeof text}`);
}

/** Maps each UTF-8 byte offset of `text` (0..byteLength) to its UTF-16 index. */
function utf16Index(text: string, byteLength: number): Int32Array {
  const map = new Int32Array(byteLength + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let n: number;
    let units = 1;
    if (c < 0x80) n = 1;
    else if (c < 0x800) n = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n = 4;
      units = 2;
    } else n = 3;
    for (let k = 0; k < n; k++) map[b + k] = i;
    b += n;
    i += units - 1;
  }
  map[byteLength] = text.length;
  return map;
}
