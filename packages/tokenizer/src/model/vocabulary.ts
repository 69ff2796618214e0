import { formatValue } from '@albert-ts/errors';
import { TokenizerError } from '../errors.js';
import { PieceType, type ModelProto } from '../proto/model-proto.js';
import { ByteTrie } from '../trie/byte-trie.js';
import { PrefixMatcher } from '../trie/prefix-matcher.js';
import { utf8Encode } from '../utf8.js';

/** C's FLT_MIN: the smallest positive normal float32. */
const FLT_MIN = 1.1754943508222875e-38;

/**
 * The vocabulary of a model, as sentencepiece's `ModelInterface` sees it: NORMAL, USER_DEFINED and UNUSED pieces
 * are matchable from text (the trie); CONTROL, UNKNOWN and BYTE pieces are reserved and only reachable by id.
 */
export class Vocabulary {
  readonly pieces: readonly string[];
  readonly pieceBytes: readonly Uint8Array[];
  readonly scores: Float32Array;
  readonly types: Uint8Array;
  readonly unkId: number;
  /** Trie over matchable pieces (value = id). */
  readonly trie: ByteTrie;
  /** Longest-match over USER_DEFINED pieces. */
  readonly matcher: PrefixMatcher;
  /**
   * Minimum / maximum score over NORMAL pieces, exactly as sentencepiece's unigram model computes them: the
   * maximum starts at FLT_MIN (the smallest *positive* float) and is reset to 0 if nothing exceeded it, so with
   * the usual all-negative scores `maxScore` is 0 (user-defined pieces then score -0.1).
   */
  readonly minScore: number;
  readonly maxScore: number;
  private readonly reserved = new Map<string, number>();
  private readonly matchable = new Map<string, number>();

  constructor(proto: ModelProto) {
    const list = proto.pieces ?? [];
    if (list.length === 0) throw new TokenizerError('not a SentencePiece model: it has no pieces');
    const n = list.length;
    const pieces: string[] = new Array<string>(n);
    const bytes: Uint8Array[] = new Array<Uint8Array>(n);
    this.scores = new Float32Array(n);
    this.types = new Uint8Array(n);
    let unkId = -1;
    const userDefined: Uint8Array[] = [];
    const trieEntries: [Uint8Array, number][] = [];
    let minScore = Infinity;
    let maxScore = FLT_MIN;
    for (let i = 0; i < n; i++) {
      const p = list[i]!;
      const piece = p.piece ?? '';
      if (piece === '') throw new TokenizerError(`invalid SentencePiece model: piece ${i} is empty`);
      const type = p.type ?? PieceType.NORMAL;
      if (type < 1 || type > 6) throw new TokenizerError(`invalid SentencePiece model: piece ${i} has unknown type ${type}`);
      pieces[i] = piece;
      bytes[i] = utf8Encode(piece);
      this.scores[i] = p.score ?? 0;
      this.types[i] = type;
      const isMatchable = type === PieceType.NORMAL || type === PieceType.USER_DEFINED || type === PieceType.UNUSED;
      const map = isMatchable ? this.matchable : this.reserved;
      if (map.has(piece)) throw new TokenizerError(`invalid SentencePiece model: piece ${formatValue(piece, 60)} is defined twice`);
      map.set(piece, i);
      if (isMatchable) trieEntries.push([bytes[i]!, i]);
      if (type === PieceType.USER_DEFINED) userDefined.push(bytes[i]!);
      if (type === PieceType.UNKNOWN) {
        if (unkId >= 0) throw new TokenizerError('invalid SentencePiece model: more than one unknown piece');
        unkId = i;
      }
      if (type === PieceType.NORMAL) {
        minScore = Math.min(minScore, this.scores[i]!);
        maxScore = Math.max(maxScore, this.scores[i]!);
      }
    }
    if (unkId < 0) throw new TokenizerError('invalid SentencePiece model: no unknown piece (<unk>) is defined');
    this.pieces = pieces;
    this.pieceBytes = bytes;
    this.unkId = unkId;
    this.minScore = minScore === Infinity ? 0 : minScore;
    this.maxScore = maxScore === FLT_MIN ? 0 : maxScore;
    this.trie = ByteTrie.build(trieEntries);
    this.matcher = new PrefixMatcher(userDefined);
  }

  /** Number of pieces. */
  get size(): number {
    return this.pieces.length;
  }

  /** sentencepiece's `PieceToId`: reserved pieces first, then matchable ones, else the unknown id. */
  pieceToId(piece: string): number {
    return this.reserved.get(piece) ?? this.matchable.get(piece) ?? this.unkId;
  }

  /** Whether `piece` is in the vocabulary at all. */
  has(piece: string): boolean {
    return this.reserved.has(piece) || this.matchable.has(piece);
  }

  /** CONTROL pieces (`<pad>`, `[CLS]`, ...) are never produced from text and decode to nothing. */
  isControl(id: number): boolean {
    return this.types[id] === PieceType.CONTROL;
  }
  /** The UNKNOWN piece (`<unk>`). */
  isUnknown(id: number): boolean {
    return this.types[id] === PieceType.UNKNOWN;
  }
  /** UNUSED pieces are matchable but never emitted (unigram skips them, BPE re-splits them). */
  isUnused(id: number): boolean {
    return this.types[id] === PieceType.UNUSED;
  }
  /** USER_DEFINED pieces are always kept whole (not normalized, frozen in BPE, bonus score in unigram). */
  isUserDefined(id: number): boolean {
    return this.types[id] === PieceType.USER_DEFINED;
  }
  /** BYTE pieces (`<0x41>`) exist only in byte-fallback models. */
  isByte(id: number): boolean {
    return this.types[id] === PieceType.BYTE;
  }
}

/**
 * The segmentation of a normalized byte string: piece `k` covers `[starts[k], ends[k])` and has id `ids[k]`.
 */
export interface Segmentation {
  starts: Int32Array;
  ends: Int32Array;
  ids: Int32Array;
  length: number;
}

/** A segmentation algorithm over normalized UTF-8 bytes. */
export interface SegmentationModel {
  encode(normalized: Uint8Array): Segmentation;
}
