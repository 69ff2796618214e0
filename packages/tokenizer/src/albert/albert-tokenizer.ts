import { TokenizerError } from '../errors.js';
import { SentencePieceModel } from '../sentencepiece.js';
import { collapseWhitespace, isPythonDigit, rstripPython, stripAccents } from './python-text.js';

/** Options of {@link AlbertTokenizer}; the defaults are those of `albert-base-v2`. */
export interface AlbertTokenizerOptions {
  /** Lower-case the text (HF `do_lower_case`, default true). */
  doLowerCase?: boolean;
  /** Strip and collapse whitespace (HF `remove_space`, default true). */
  removeSpace?: boolean;
  /** Keep accents; when false, NFKD and drop combining marks (HF `keep_accents`, default false). */
  keepAccents?: boolean;
  unkToken?: string;
  sepToken?: string;
  padToken?: string;
  clsToken?: string;
  maskToken?: string;
}

/** How to truncate: HF's `TruncationStrategy` values. `true` means `'longest_first'`. */
export type Truncation = boolean | 'longest_first' | 'only_first' | 'only_second' | 'do_not_truncate';
/** How to pad: HF's `PaddingStrategy` values. `true` means `'longest'`. */
export type Padding = boolean | 'longest' | 'max_length' | 'do_not_pad';

/** Options of {@link AlbertTokenizer.encode} and {@link AlbertTokenizer.encodeBatch} (HF `__call__` arguments). */
export interface EncodeOptions {
  /** Add `[CLS]`/`[SEP]` (default true). */
  addSpecialTokens?: boolean;
  /** Maximum total length, special tokens included; used by truncation and `'max_length'` padding. */
  maxLength?: number;
  truncation?: Truncation;
  padding?: Padding;
  /** Round the padded length up to a multiple of this. */
  padToMultipleOf?: number;
}

/**
 * HF `AlbertTokenizer.preprocess_text` (defaults of `albert-base-v2`): whitespace cleanup, LaTeX quotes → `"`,
 * accent stripping (NFKD without combining marks), lower-casing. Vocabularies are trained on text preprocessed
 * like this (see `trainAlbertTokenizer`), so that training and encoding see the same text.
 */
export function albertPreprocess(
  text: string, options: Pick<AlbertTokenizerOptions, 'doLowerCase' | 'removeSpace' | 'keepAccents'> = {},
): string {
  let out = (options.removeSpace ?? true) ? collapseWhitespace(text) : text;
  out = out.replaceAll('``', '"').replaceAll("''", '"');
  if (!(options.keepAccents ?? false)) out = stripAccents(out);
  if (options.doLowerCase ?? true) out = out.toLowerCase();
  return out;
}

/** One encoded sequence or pair (HF `BatchEncoding` fields, camelCase). */
export interface AlbertEncoding {
  inputIds: number[];
  tokenTypeIds: number[];
  attentionMask: number[];
}

/** An input: a text, or a `[text, textPair]` pair. */
export type AlbertInput = string | readonly [string, string];

/**
 * HuggingFace's slow `AlbertTokenizer` (transformers v4.36.2) on top of {@link SentencePieceModel}: special tokens
 * (`[CLS] [SEP] [MASK] <unk> <pad>`) are split out first (`[MASK]` eats the whitespace on its left), the other
 * characters are lower-cased, each text chunk is preprocessed (whitespace cleanup, ``` `` ```/`''` → `"`, NFKD
 * without combining marks, lower-case) and encoded separately, and pieces like `▁9,` are split into `▁9`, `,`.
 *
 * ```ts
 * const tok = AlbertTokenizer.fromBytes(modelBytes);
 * const enc = tok.encode('Hello world', 'Second segment', { maxLength: 16, truncation: true, padding: 'max_length' });
 * enc.inputIds; enc.tokenTypeIds; enc.attentionMask;
 * ```
 */
export class AlbertTokenizer {
  readonly sp: SentencePieceModel;
  readonly doLowerCase: boolean;
  readonly removeSpace: boolean;
  readonly keepAccents: boolean;
  readonly unkToken: string;
  readonly sepToken: string;
  readonly padToken: string;
  readonly clsToken: string;
  readonly maskToken: string;
  readonly clsTokenId: number;
  readonly sepTokenId: number;
  readonly padTokenId: number;
  readonly maskTokenId: number;
  readonly unkTokenId: number;
  /** Special tokens in HF's `all_special_tokens` order. */
  readonly specialTokens: readonly string[];
  private readonly specialIds = new Map<string, number>();
  private readonly specialPattern: RegExp;

  constructor(sp: SentencePieceModel, options: AlbertTokenizerOptions = {}) {
    this.sp = sp;
    this.doLowerCase = options.doLowerCase ?? true;
    this.removeSpace = options.removeSpace ?? true;
    this.keepAccents = options.keepAccents ?? false;
    this.unkToken = options.unkToken ?? '<unk>';
    this.sepToken = options.sepToken ?? '[SEP]';
    this.padToken = options.padToken ?? '<pad>';
    this.clsToken = options.clsToken ?? '[CLS]';
    this.maskToken = options.maskToken ?? '[MASK]';
    // HF order: bos(=[CLS]), eos(=[SEP]), unk, sep, pad, cls, mask, deduplicated.
    this.specialTokens = [...new Set([this.clsToken, this.sepToken, this.unkToken, this.sepToken, this.padToken,
      this.clsToken, this.maskToken])];
    for (const t of this.specialTokens) {
      if (t === '') throw new TokenizerError('special tokens must not be empty');
      this.specialIds.set(t, sp.pieceToId(t));
    }
    this.clsTokenId = this.specialIds.get(this.clsToken)!;
    this.sepTokenId = this.specialIds.get(this.sepToken)!;
    this.padTokenId = this.specialIds.get(this.padToken)!;
    this.maskTokenId = this.specialIds.get(this.maskToken)!;
    this.unkTokenId = this.specialIds.get(this.unkToken)!;
    // HF's Trie splits on the longest match starting leftmost; the alternation is ordered longest first.
    const alternatives = [...this.specialTokens].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.specialPattern = new RegExp(alternatives.join('|'), 'g');
  }

  /** Loads the tokenizer from the bytes of a SentencePiece `.model` file (e.g. albert-base-v2's `spiece.model`). */
  static fromBytes(bytes: Uint8Array, options?: AlbertTokenizerOptions): AlbertTokenizer {
    return new AlbertTokenizer(SentencePieceModel.fromBytes(bytes), options);
  }

  /** Vocabulary size of the underlying model. */
  get vocabSize(): number {
    return this.sp.vocabSize;
  }

  /** HF `preprocess_text`: whitespace cleanup, LaTeX quotes → `"`, accent stripping, lower-casing. */
  preprocessText(text: string): string {
    return albertPreprocess(text, this);
  }

  /** HF `tokenize(text)`: the token strings, special tokens included as written in the text. */
  tokenize(text: string): string[] {
    if (typeof text !== 'string') throw new TokenizerError(`text must be a string, got ${typeof text}`);
    const chunks = this.splitSpecial(text);
    const tokens: string[] = [];
    for (const chunk of chunks) {
      if (chunk.special) tokens.push(chunk.text);
      else if (chunk.text !== '') for (const t of this.tokenizeChunk(chunk.text)) tokens.push(t);
    }
    return tokens;
  }

  /** Token strings to ids (special tokens by their id, other pieces by `PieceToId`). */
  convertTokensToIds(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.specialIds.get(t) ?? this.sp.pieceToId(t));
  }

  /** Ids to token strings. */
  convertIdsToTokens(ids: readonly number[]): string[] {
    return ids.map((id) => this.sp.idToPiece(id));
  }

  /** Ids of `tokenize(text)` (no special tokens added). */
  encodeIds(text: string): number[] {
    return this.convertTokensToIds(this.tokenize(text));
  }

  /**
   * Encodes a text or a pair like HF `tokenizer(text, text_pair, ...)`: `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]`,
   * token type 0 for the first segment (with `[CLS]` and its `[SEP]`) and 1 for the second.
   */
  encode(text: string, textPair?: string, options: EncodeOptions = {}): AlbertEncoding {
    const a = this.encodeIds(text);
    const b = textPair === undefined ? undefined : this.encodeIds(textPair);
    const enc = this.prepare(a, b, options);
    const padding = resolvePadding(options.padding);
    if (padding === 'max_length' && options.maxLength !== undefined) {
      return this.pad(enc, roundUp(options.maxLength, options.padToMultipleOf));
    }
    if (padding !== 'do_not_pad' && options.padToMultipleOf !== undefined) {
      return this.pad(enc, roundUp(enc.inputIds.length, options.padToMultipleOf));
    }
    return enc;
  }

  /** Encodes a batch; `padding: 'longest'` pads every row to the longest one, `'max_length'` to `maxLength`. */
  encodeBatch(inputs: readonly AlbertInput[], options: EncodeOptions = {}): AlbertEncoding[] {
    if (!Array.isArray(inputs)) throw new TokenizerError('encodeBatch expects an array of texts or [text, textPair] pairs');
    const rows = inputs.map((input, i) => {
      if (typeof input === 'string') return this.prepare(this.encodeIds(input), undefined, options);
      if (Array.isArray(input) && input.length === 2 && typeof input[0] === 'string' && typeof input[1] === 'string') {
        return this.prepare(this.encodeIds(input[0]), this.encodeIds(input[1]), options);
      }
      throw new TokenizerError(`batch item ${i} must be a string or a [text, textPair] pair of strings`);
    });
    const padding = resolvePadding(options.padding);
    let target: number | undefined;
    if (padding === 'longest') target = Math.max(0, ...rows.map((r) => r.inputIds.length));
    else if (padding === 'max_length') target = options.maxLength;
    if (target === undefined) return rows;
    const length = roundUp(target, options.padToMultipleOf);
    return rows.map((r) => this.pad(r, length));
  }

  /** HF `prepare_for_model`: truncation, then special tokens. */
  private prepare(ids: number[], pairIds: number[] | undefined, options: EncodeOptions): AlbertEncoding {
    const addSpecial = options.addSpecialTokens ?? true;
    const truncation = resolveTruncation(options.truncation, options.maxLength);
    const maxLength = options.maxLength;
    if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 0)) {
      throw new TokenizerError(`maxLength must be a non-negative integer, got ${maxLength}`);
    }
    if (truncation !== 'do_not_truncate' && maxLength !== undefined) {
      const numSpecial = addSpecial ? (pairIds === undefined ? 2 : 3) : 0;
      const total = ids.length + (pairIds?.length ?? 0) + numSpecial;
      if (total > maxLength) [ids, pairIds] = truncateSequences(ids, pairIds, total - maxLength, truncation);
    }
    let inputIds: number[];
    let tokenTypeIds: number[];
    if (addSpecial) {
      inputIds = [this.clsTokenId, ...ids, this.sepTokenId];
      tokenTypeIds = new Array<number>(ids.length + 2).fill(0);
      if (pairIds !== undefined) {
        for (const id of pairIds) inputIds.push(id);
        inputIds.push(this.sepTokenId);
        for (let k = 0; k <= pairIds.length; k++) tokenTypeIds.push(1);
      }
    } else {
      inputIds = pairIds === undefined ? [...ids] : [...ids, ...pairIds];
      tokenTypeIds = [...new Array<number>(ids.length).fill(0), ...new Array<number>(pairIds?.length ?? 0).fill(1)];
    }
    return { inputIds, tokenTypeIds, attentionMask: new Array<number>(inputIds.length).fill(1) };
  }

  /** Right-pads with `<pad>`, token type 0 and attention 0. */
  private pad(enc: AlbertEncoding, length: number): AlbertEncoding {
    const n = length - enc.inputIds.length;
    if (n <= 0) return enc;
    return {
      inputIds: [...enc.inputIds, ...new Array<number>(n).fill(this.padTokenId)],
      tokenTypeIds: [...enc.tokenTypeIds, ...new Array<number>(n).fill(0)],
      attentionMask: [...enc.attentionMask, ...new Array<number>(n).fill(0)],
    };
  }

  /**
   * Decodes ids like HF `decode`: special tokens are kept as text (or dropped with `skipSpecialTokens`), the rest
   * is decoded by sentencepiece, and HF's `clean_up_tokenization` is applied.
   */
  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    const specialIdSet = new Set(this.specialIds.values());
    const tokens = ids.filter((id) => !(options.skipSpecialTokens === true && specialIdSet.has(id)))
      .map((id) => this.sp.idToPiece(id));
    let out = '';
    let current: string[] = [];
    let prevIsSpecial = false;
    for (const token of tokens) {
      if (this.specialIds.has(token)) {
        if (!prevIsSpecial) out += ' ';
        out += this.sp.decodePieces(current) + token;
        prevIsSpecial = true;
        current = [];
      } else {
        current.push(token);
        prevIsSpecial = false;
      }
    }
    out += this.sp.decodePieces(current);
    out = out.trim();
    return out.replaceAll(' .', '.').replaceAll(' ?', '?').replaceAll(' !', '!').replaceAll(' ,', ',')
      .replaceAll(" ' ", "'").replaceAll(" n't", "n't").replaceAll(" 'm", "'m").replaceAll(" 's", "'s")
      .replaceAll(" 've", "'ve").replaceAll(" 're", "'re");
  }

  /**
   * HF `tokenize` front half: lower-case everything but the special tokens (character by character, as HF's
   * `re.sub(r"(special)|(.+?)")` does), split on special tokens, and let `[MASK]` strip the whitespace to its left.
   */
  private splitSpecial(text: string): { text: string; special: boolean }[] {
    const lowered = this.doLowerCase ? this.splitOnSpecial(text).map((p) => (p.special ? p.text : lowerEachChar(p.text))).join('') : text;
    const parts = this.splitOnSpecial(lowered);
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (p.special && p.text === this.maskToken && i > 0 && parts[i - 1]!.text !== '') {
        parts[i - 1]!.text = rstripPython(parts[i - 1]!.text);
      }
    }
    return parts.filter((p) => p.text !== '');
  }

  private splitOnSpecial(text: string): { text: string; special: boolean }[] {
    const parts: { text: string; special: boolean }[] = [];
    const re = this.specialPattern;
    re.lastIndex = 0;
    let last = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      parts.push({ text: text.slice(last, m.index), special: false });
      parts.push({ text: m[0], special: true });
      last = m.index + m[0].length;
    }
    parts.push({ text: text.slice(last), special: false });
    return parts;
  }

  /** HF `AlbertTokenizer._tokenize` for one chunk without special tokens. */
  private tokenizeChunk(chunk: string): string[] {
    const pieces = this.sp.encode(this.preprocessText(chunk)).pieces;
    const out: string[] = [];
    for (const piece of pieces) {
      const chars = Array.from(piece);
      if (chars.length > 1 && chars[chars.length - 1] === ',' && isPythonDigit(chars[chars.length - 2]!)) {
        let cur = this.sp.encode(chars.slice(0, -1).join('').replaceAll('\u2581', '')).pieces;
        if (chars[0] !== '\u2581' && cur.length > 0 && cur[0]!.startsWith('\u2581')) {
          if (Array.from(cur[0]!).length === 1) cur = cur.slice(1);
          else cur[0] = cur[0]!.slice(1);
        }
        cur.push(',');
        for (const c of cur) out.push(c);
      } else {
        out.push(piece);
      }
    }
    return out;
  }
}

/** Lower-cases code point by code point (no Final_Sigma context), skipping "\n" as Python's `.` does. */
function lowerEachChar(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text.toLowerCase();
  let out = '';
  for (const ch of text) out += ch.toLowerCase();
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function roundUp(n: number, multiple: number | undefined): number {
  if (multiple === undefined) return n;
  if (!Number.isInteger(multiple) || multiple <= 0) {
    throw new TokenizerError(`padToMultipleOf must be a positive integer, got ${multiple}`);
  }
  return Math.ceil(n / multiple) * multiple;
}

function resolvePadding(p: Padding | undefined): 'longest' | 'max_length' | 'do_not_pad' {
  if (p === undefined || p === false) return 'do_not_pad';
  if (p === true) return 'longest';
  if (p === 'longest' || p === 'max_length' || p === 'do_not_pad') return p;
  throw new TokenizerError(`padding must be true, false, 'longest', 'max_length' or 'do_not_pad', got ${String(p)}`);
}

function resolveTruncation(t: Truncation | undefined, maxLength: number | undefined):
  'longest_first' | 'only_first' | 'only_second' | 'do_not_truncate' {
  if (t === undefined) return maxLength !== undefined ? 'longest_first' : 'do_not_truncate';
  if (t === false) return 'do_not_truncate';
  if (t === true) return 'longest_first';
  if (t === 'longest_first' || t === 'only_first' || t === 'only_second' || t === 'do_not_truncate') return t;
  throw new TokenizerError(
    `truncation must be true, false, 'longest_first', 'only_first', 'only_second' or 'do_not_truncate', got ${String(t)}`);
}

/**
 * HF `truncate_sequences` (right side, stride 0). As in HF, `only_first`/`only_second` leave the input unchanged
 * when the chosen sequence is not longer than the number of tokens to remove.
 */
export function truncateSequences(
  ids: number[],
  pairIds: number[] | undefined,
  numToRemove: number,
  strategy: 'longest_first' | 'only_first' | 'only_second',
): [number[], number[] | undefined] {
  if (numToRemove <= 0) return [ids, pairIds];
  if (strategy === 'only_first' || (strategy === 'longest_first' && pairIds === undefined)) {
    if (ids.length > numToRemove) ids = ids.slice(0, ids.length - numToRemove);
    return [ids, pairIds];
  }
  if (strategy === 'longest_first') {
    let a = ids.length;
    let b = pairIds!.length;
    for (let k = 0; k < numToRemove; k++) {
      if (a > b) a--;
      else b = Math.max(0, b - 1);
    }
    return [ids.slice(0, Math.max(0, a)), pairIds!.slice(0, Math.max(0, b))];
  }
  if (pairIds !== undefined && pairIds.length > numToRemove) pairIds = pairIds.slice(0, pairIds.length - numToRemove);
  return [ids, pairIds];
}
