import { TokenizerError } from '../errors.js';
import { SentencePieceModel } from '../sentencepiece.js';
import { type AddedToken, type ResolvedAddedToken, resolveAddedToken, type TokenSpec } from './added-token.js';
import {
  type AlignedText, AlignedBuilder, alignedOf, originalRange, sliceAligned, untracked,
} from './aligned-text.js';
import {
  ALBERT_PREPROCESSING, type AlbertPreprocessing, albertPreprocess, lowerEachCharAligned, preprocessAligned,
} from './preprocess.js';
import { isPythonDigit, isPythonSpace, lstripPython, rstripPython } from './python-text.js';

/**
 * Options of {@link AlbertTokenizer}: HF `AlbertTokenizer.__init__` arguments in camelCase. The defaults are those
 * of `albert-base-v2`; `loadAlbertTokenizer(dir)` / {@link albertTokenizerFromFiles} read them from
 * `tokenizer_config.json` and `special_tokens_map.json`.
 */
export interface AlbertTokenizerOptions {
  /** Lower-case the text (HF `do_lower_case`, default true). */
  doLowerCase?: boolean;
  /** Strip and collapse whitespace (HF `remove_space`, default true). */
  removeSpace?: boolean;
  /** Keep accents; when false, NFKD and drop combining marks (HF `keep_accents`, default false). */
  keepAccents?: boolean;
  /** Default `[CLS]`. */
  bosToken?: TokenSpec;
  /** Default `[SEP]`. */
  eosToken?: TokenSpec;
  /** Default `<unk>`. */
  unkToken?: TokenSpec;
  /** Default `[SEP]`. */
  sepToken?: TokenSpec;
  /** Default `<pad>`. */
  padToken?: TokenSpec;
  /** Default `[CLS]`. */
  clsToken?: TokenSpec;
  /** Default `[MASK]`, which eats the whitespace on its left (a string becomes `{content, lstrip: true}`). */
  maskToken?: TokenSpec;
  additionalSpecialTokens?: readonly TokenSpec[];
  /** HF `added_tokens_decoder`: tokens split out whole, by id (ids past the vocabulary are allowed, as in HF). */
  addedTokens?: ReadonlyArray<readonly [number, AddedToken]>;
  /**
   * HF `model_max_length`: the `maxLength` of `truncation: true` and `padding: 'max_length'` when none is given.
   * Default: no limit.
   */
  modelMaxLength?: number;
  /** HF `clean_up_tokenization_spaces` of `decode` (default true). */
  cleanUpTokenizationSpaces?: boolean;
}

/** How to truncate: HF's `TruncationStrategy` values. `true` means `'longest_first'`. */
export type Truncation = boolean | 'longest_first' | 'only_first' | 'only_second' | 'do_not_truncate';
/** How to pad: HF's `PaddingStrategy` values. `true` means `'longest'`. */
export type Padding = boolean | 'longest' | 'max_length' | 'do_not_pad';

/** Options of {@link AlbertTokenizer.encode} and {@link AlbertTokenizer.encodeBatch} (HF `__call__` arguments). */
export interface EncodeOptions {
  /** Add `[CLS]`/`[SEP]` (default true). */
  addSpecialTokens?: boolean;
  /**
   * Maximum total length, special tokens included; used by truncation and `'max_length'` padding. Default: the
   * tokenizer's `modelMaxLength` when truncation or `'max_length'` padding is asked for.
   */
  maxLength?: number;
  truncation?: Truncation;
  padding?: Padding;
  /** Round the padded length up to a multiple of this. */
  padToMultipleOf?: number;
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
 * Tokens of a text with, for each, the range `[start, end)` of the original text (UTF-16 indices) it came from.
 * Leading whitespace is not part of a range (`▁world` in `"hello world"` covers `world`); special tokens cover
 * their own text.
 */
export interface TokensWithOffsets {
  tokens: string[];
  offsets: [number, number][];
}

/** A piece of the text between added tokens, or an added token; `aligned` keeps the original offsets. */
interface Chunk {
  aligned: AlignedText;
  added: boolean;
}

type TruncateStrategy = 'longest_first' | 'only_first' | 'only_second';

/** HF `LARGE_INTEGER`: a `model_max_length` above this means "no limit" (HF saves 1e30 for unset). */
const NO_LIMIT = 1e20;

/**
 * HuggingFace's slow `AlbertTokenizer` (transformers v4.36.2) on top of {@link SentencePieceModel}: added and
 * special tokens (`[CLS] [SEP] [MASK] <unk> <pad>`) are split out first with their `lstrip`/`rstrip`/`single_word`
 * rules (`[MASK]` eats the whitespace on its left), everything else is lower-cased when `do_lower_case`, each text
 * chunk is preprocessed (whitespace cleanup, ``` `` ```/`''` → `"`, NFKD without combining marks unless
 * `keep_accents`, lower-case) and encoded separately, and pieces like `▁9,` are split into `▁9`, `,`.
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
  readonly bosToken: string;
  readonly eosToken: string;
  readonly unkToken: string;
  readonly sepToken: string;
  readonly padToken: string;
  readonly clsToken: string;
  readonly maskToken: string;
  readonly additionalSpecialTokens: readonly string[];
  readonly clsTokenId: number;
  readonly sepTokenId: number;
  readonly padTokenId: number;
  readonly maskTokenId: number;
  readonly unkTokenId: number;
  /** `model_max_length` (undefined: no limit). */
  readonly modelMaxLength: number | undefined;
  readonly cleanUpTokenizationSpaces: boolean;
  /** Special tokens in HF's `all_special_tokens` order. */
  readonly specialTokens: readonly string[];
  /** Every added token (special ones included) by id: HF `added_tokens_decoder`. */
  readonly addedTokens: ReadonlyMap<number, ResolvedAddedToken>;
  private readonly addedIds = new Map<string, number>();
  private readonly specialIdSet: ReadonlySet<number>;
  private readonly splitPattern: RegExp | undefined;
  private readonly keepCasePattern: RegExp;

  constructor(sp: SentencePieceModel, options: AlbertTokenizerOptions = {}) {
    this.sp = sp;
    for (const key of ['doLowerCase', 'removeSpace', 'keepAccents', 'cleanUpTokenizationSpaces'] as const) {
      const v = options[key];
      if (v !== undefined && typeof v !== 'boolean') throw new TokenizerError(`${key} must be a boolean, got ${JSON.stringify(v)}`);
    }
    this.doLowerCase = options.doLowerCase ?? ALBERT_PREPROCESSING.doLowerCase;
    this.removeSpace = options.removeSpace ?? ALBERT_PREPROCESSING.removeSpace;
    this.keepAccents = options.keepAccents ?? ALBERT_PREPROCESSING.keepAccents;
    this.cleanUpTokenizationSpaces = options.cleanUpTokenizationSpaces ?? true;
    const max = options.modelMaxLength;
    if (max !== undefined && !(typeof max === 'number' && Number.isInteger(max) && max > 0)) {
      throw new TokenizerError(`modelMaxLength must be a positive integer, got ${JSON.stringify(max)}`);
    }
    this.modelMaxLength = max === undefined || max > NO_LIMIT ? undefined : max;

    // HF SPECIAL_TOKENS_ATTRIBUTES order: bos, eos, unk, sep, pad, cls, mask, additional.
    const named = {
      bosToken: resolveAddedToken(options.bosToken ?? '[CLS]', true, 'bosToken'),
      eosToken: resolveAddedToken(options.eosToken ?? '[SEP]', true, 'eosToken'),
      unkToken: resolveAddedToken(options.unkToken ?? '<unk>', true, 'unkToken'),
      sepToken: resolveAddedToken(options.sepToken ?? '[SEP]', true, 'sepToken'),
      padToken: resolveAddedToken(options.padToken ?? '<pad>', true, 'padToken'),
      clsToken: resolveAddedToken(options.clsToken ?? '[CLS]', true, 'clsToken'),
      // AlbertTokenizer: "Mask token behave like a normal word, i.e. include the space before it".
      maskToken: resolveAddedToken(typeof options.maskToken === 'object' ? options.maskToken
        : { content: options.maskToken ?? '[MASK]', lstrip: true, rstrip: false, normalized: false }, true, 'maskToken'),
    };
    const additional = (options.additionalSpecialTokens ?? []).map((t, i) => resolveAddedToken(t, true, `additionalSpecialTokens[${i}]`));
    this.bosToken = named.bosToken.content;
    this.eosToken = named.eosToken.content;
    this.unkToken = named.unkToken.content;
    this.sepToken = named.sepToken.content;
    this.padToken = named.padToken.content;
    this.clsToken = named.clsToken.content;
    this.maskToken = named.maskToken.content;
    this.additionalSpecialTokens = additional.map((t) => t.content);
    this.specialTokens = [...new Set([...Object.values(named).map((t) => t.content), ...this.additionalSpecialTokens])];

    // HF PreTrainedTokenizer.__init__: `added_tokens_decoder` first, then the special tokens not yet in it, each at
    // its vocabulary id or, when the vocabulary lacks it, at the next free id.
    const decoder = new Map<number, ResolvedAddedToken>();
    for (const [id, token] of options.addedTokens ?? []) {
      if (!Number.isInteger(id) || id < 0) throw new TokenizerError(`addedTokens: id ${id} must be a non-negative integer`);
      const t = resolveAddedToken(token, false, `addedTokens[${id}]`);
      decoder.set(id, t);
      this.addedIds.set(t.content, id);
    }
    let nextId = Math.max(sp.vocabSize, ...[...decoder.keys()].map((id) => id + 1));
    for (const t of [...Object.values(named), ...additional]) {
      if (this.addedIds.has(t.content)) continue;
      const vocabId = sp.pieceToId(t.content);
      const id = sp.idToPiece(vocabId) === t.content ? vocabId : nextId++;
      decoder.set(id, t);
      this.addedIds.set(t.content, id);
    }
    this.addedTokens = decoder;
    this.clsTokenId = this.addedIds.get(this.clsToken)!;
    this.sepTokenId = this.addedIds.get(this.sepToken)!;
    this.padTokenId = this.addedIds.get(this.padToken)!;
    this.maskTokenId = this.addedIds.get(this.maskToken)!;
    this.unkTokenId = this.addedIds.get(this.unkToken)!;
    this.specialIdSet = new Set(this.specialTokens.map((t) => this.addedIds.get(t)!));
    // HF's Trie splits on the longest match starting leftmost: the alternation is ordered longest first.
    const all = [...this.addedIds.keys()];
    this.splitPattern = all.length === 0 ? undefined
      : new RegExp([...all].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
    // HF `tokenize` lower-cases everything but the special tokens and the normalized non-special added tokens,
    // matched in this order (Python's regex alternation takes the first alternative that matches).
    const keepCase = [...this.specialTokens,
      ...[...decoder.values()].filter((t) => !t.special && t.normalized).map((t) => t.content)];
    this.keepCasePattern = new RegExp(keepCase.map(escapeRegExp).join('|'), 'g');
  }

  /** Loads the tokenizer from the bytes of a SentencePiece `.model` file (e.g. albert-base-v2's `spiece.model`). */
  static fromBytes(bytes: Uint8Array, options?: AlbertTokenizerOptions): AlbertTokenizer {
    return new AlbertTokenizer(SentencePieceModel.fromBytes(bytes), options);
  }

  /** Vocabulary size of the underlying model (HF `vocab_size`; added tokens past it are not counted). */
  get vocabSize(): number {
    return this.sp.vocabSize;
  }

  /** The preprocessing flags (`do_lower_case`, `remove_space`, `keep_accents`). */
  get preprocessing(): AlbertPreprocessing {
    return { doLowerCase: this.doLowerCase, removeSpace: this.removeSpace, keepAccents: this.keepAccents };
  }

  /** HF `preprocess_text`: whitespace cleanup, LaTeX quotes → `"`, accent stripping, lower-casing. */
  preprocessText(text: string): string {
    return albertPreprocess(text, this.preprocessing);
  }

  /** HF `tokenize(text)`: the token strings, added tokens included as written in the text. */
  tokenize(text: string): string[] {
    checkText(text);
    const tokens: string[] = [];
    for (const chunk of this.splitAdded(untracked(text))) {
      if (chunk.added) tokens.push(chunk.aligned.text);
      else for (const t of this.tokenizeChunk(chunk.aligned.text)) tokens.push(t);
    }
    return tokens;
  }

  /**
   * {@link tokenize} with each token's range in `text` (see {@link TokensWithOffsets}); the tokens are exactly
   * those of `tokenize(text)`.
   */
  tokenizeWithOffsets(text: string): TokensWithOffsets {
    checkText(text);
    const tokens: string[] = [];
    const offsets: [number, number][] = [];
    for (const chunk of this.splitAdded(alignedOf(text))) {
      if (chunk.added) {
        tokens.push(chunk.aligned.text);
        offsets.push(originalRange(chunk.aligned, 0, chunk.aligned.text.length));
        continue;
      }
      const pre = preprocessAligned(chunk.aligned, this.preprocessing);
      const enc = this.sp.encodeWithOffsets(pre.text);
      enc.pieces.forEach((piece, k) => {
        const [from, to] = enc.offsets[k]!;
        const split = this.splitDigitComma(piece);
        if (split === undefined) {
          tokens.push(piece);
          offsets.push(trimLeadingSpace(text, originalRange(pre, from, to)));
          return;
        }
        // `▁1990,` → `▁1990`, `,`: the sub-pieces share the piece's range, character by character.
        let at = to;
        const ranges: [number, number][] = [];
        for (let j = split.length - 1; j >= 0; j--) {
          const len = Math.min(at - from, split[j]!.replace(/^\u2581/, '').length);
          ranges.unshift(originalRange(pre, at - len, at));
          at -= len;
        }
        split.forEach((p, j) => {
          tokens.push(p);
          offsets.push(trimLeadingSpace(text, ranges[j]!));
        });
      });
    }
    return { tokens, offsets };
  }

  /** Token strings to ids (added tokens by their id, other pieces by `PieceToId`). */
  convertTokensToIds(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.addedIds.get(t) ?? this.sp.pieceToId(t));
  }

  /** Ids to token strings (HF `convert_ids_to_tokens`). */
  convertIdsToTokens(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string[] {
    const out: string[] = [];
    for (const id of ids) {
      if (options.skipSpecialTokens === true && this.specialIdSet.has(id)) continue;
      out.push(this.addedTokens.get(id)?.content ?? this.sp.idToPiece(id));
    }
    return out;
  }

  /** Whether `id` is one of the special tokens (HF `all_special_ids`). */
  isSpecialId(id: number): boolean {
    return this.specialIdSet.has(id);
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
    return this.prepareForModel(this.encodeIds(text), textPair === undefined ? undefined : this.encodeIds(textPair), options);
  }

  /**
   * HF `prepare_for_model` on token ids (no special tokens yet): truncation, special tokens, then padding of this
   * one sequence (`'max_length'`, or `padToMultipleOf`).
   */
  prepareForModel(ids: readonly number[], pairIds: readonly number[] | undefined, options: EncodeOptions = {}): AlbertEncoding {
    const enc = this.prepare([...ids], pairIds === undefined ? undefined : [...pairIds], options);
    const padding = resolvePadding(options.padding);
    if (padding === 'max_length') {
      const length = this.maxLengthFor(options);
      if (length !== undefined) return this.pad(enc, roundUp(length, options.padToMultipleOf));
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
    return this.padBatch(rows, options);
  }

  /** Pads already prepared rows as {@link encodeBatch} does (`'longest'`, `'max_length'`, `padToMultipleOf`). */
  padBatch(rows: AlbertEncoding[], options: EncodeOptions = {}): AlbertEncoding[] {
    const padding = resolvePadding(options.padding);
    let target: number | undefined;
    if (padding === 'longest') target = Math.max(0, ...rows.map((r) => r.inputIds.length));
    else if (padding === 'max_length') target = this.maxLengthFor(options);
    if (target === undefined) return rows;
    const length = roundUp(target, options.padToMultipleOf);
    return rows.map((r) => this.pad(r, length));
  }

  /** The `maxLength` that truncation / `'max_length'` padding uses: the option, else `modelMaxLength`. */
  private maxLengthFor(options: EncodeOptions): number | undefined {
    const m = options.maxLength;
    if (m !== undefined && (!Number.isInteger(m) || m < 0)) {
      throw new TokenizerError(`maxLength must be a non-negative integer, got ${m}`);
    }
    return m ?? this.modelMaxLength;
  }

  /** HF `prepare_for_model`: truncation, then special tokens. */
  private prepare(ids: number[], pairIds: number[] | undefined, options: EncodeOptions): AlbertEncoding {
    const addSpecial = options.addSpecialTokens ?? true;
    const truncation = resolveTruncation(options.truncation, options.maxLength);
    const maxLength = this.maxLengthFor(options);
    if (maxLength !== undefined && truncation !== 'do_not_truncate') {
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
   * Decodes ids like HF `decode`: special tokens are kept as text (or dropped with `skipSpecialTokens`), added
   * tokens that are not special stand apart, the rest is decoded by sentencepiece, and HF's
   * `clean_up_tokenization` is applied when `clean_up_tokenization_spaces`.
   */
  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    const tokens = this.convertIdsToTokens(ids, options);
    const special = new Set(this.specialTokens);
    // HF `legacy_added_tokens`: added tokens that are not special, and special ones past the vocabulary.
    const standalone = new Set([...this.addedIds.keys()].filter((t) => !special.has(t)
      || (this.additionalSpecialTokens.includes(t) && this.addedIds.get(t)! >= this.vocabSize)));
    const subTexts: string[] = [];
    let current: string[] = [];
    for (const token of tokens) {
      if (standalone.has(token)) {
        if (current.length > 0) {
          const s = this.convertTokensToString(current);
          if (s.length > 0) subTexts.push(s);
          current = [];
        }
        subTexts.push(token);
      } else {
        current.push(token);
      }
    }
    if (current.length > 0) subTexts.push(this.convertTokensToString(current));
    const text = subTexts.join(' ');
    return this.cleanUpTokenizationSpaces ? cleanUpTokenization(text) : text;
  }

  /** HF `AlbertTokenizer.convert_tokens_to_string`: special tokens verbatim, the rest through sentencepiece. */
  convertTokensToString(tokens: readonly string[]): string {
    let out = '';
    let current: string[] = [];
    let prevIsSpecial = false;
    for (const token of tokens) {
      if (this.specialTokens.includes(token)) {
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
    return out.trim();
  }

  /**
   * HF `tokenize` front half: lower-case all but the special tokens (character by character, as HF's
   * `re.sub(r"(special)|(.+?)")` does), split on added tokens, then apply each added token's `lstrip`, `rstrip`
   * and `single_word` to its neighbours, in order.
   */
  private splitAdded(text: AlignedText): Chunk[] {
    const lowered = this.doLowerCase ? this.lowerOutsideSpecial(text) : text;
    const parts: Chunk[] = [];
    const re = this.splitPattern;
    let last = 0;
    if (re !== undefined) {
      re.lastIndex = 0;
      for (let m = re.exec(lowered.text); m !== null; m = re.exec(lowered.text)) {
        parts.push({ aligned: sliceAligned(lowered, last, m.index), added: false });
        parts.push({ aligned: sliceAligned(lowered, m.index, m.index + m[0].length), added: true });
        last = m.index + m[0].length;
      }
    }
    parts.push({ aligned: sliceAligned(lowered, last, lowered.text.length), added: false });
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (!p.added) continue;
      const token = this.addedTokens.get(this.addedIds.get(p.aligned.text)!)!;
      const left = i > 0 ? parts[i - 1]! : undefined;
      const right = i + 1 < parts.length ? parts[i + 1]! : undefined;
      if (token.rstrip && right !== undefined && right.aligned.text !== '') {
        const t = right.aligned.text;
        right.aligned = sliceAligned(right.aligned, t.length - lstripPython(t).length, t.length);
      }
      if (token.lstrip && left !== undefined && left.aligned.text !== '') {
        left.aligned = sliceAligned(left.aligned, 0, rstripPython(left.aligned.text).length);
      }
      if (token.singleWord && left !== undefined && left.aligned.text !== '' && !left.aligned.text.endsWith(' ')) {
        left.aligned = concatAligned(left.aligned, p.aligned);
        p.aligned = sliceAligned(p.aligned, 0, 0);
      } else if (token.singleWord && right !== undefined && right.aligned.text !== '' && !right.aligned.text.startsWith(' ')) {
        p.aligned = concatAligned(p.aligned, right.aligned);
        right.aligned = sliceAligned(right.aligned, 0, 0);
      }
    }
    // As HF, a part is an added token iff its text is one (a single_word token glued to its neighbour is not).
    return parts.filter((p) => p.aligned.text !== '').map((p) => ({ ...p, added: this.addedIds.has(p.aligned.text) }));
  }

  private lowerOutsideSpecial(a: AlignedText): AlignedText {
    const b = new AlignedBuilder(a.tracked);
    const re = this.keepCasePattern;
    re.lastIndex = 0;
    let last = 0;
    const lowerPart = (from: number, to: number): void => {
      const part = lowerEachCharAligned(sliceAligned(a, from, to));
      b.copy(part, 0, part.text.length);
    };
    for (let m = re.exec(a.text); m !== null; m = re.exec(a.text)) {
      lowerPart(last, m.index);
      b.copy(a, m.index, m.index + m[0].length);
      last = m.index + m[0].length;
    }
    lowerPart(last, a.text.length);
    return b.build();
  }

  /** HF `AlbertTokenizer._tokenize` for one chunk without added tokens. */
  private tokenizeChunk(chunk: string): string[] {
    const out: string[] = [];
    for (const piece of this.sp.encode(this.preprocessText(chunk)).pieces) {
      const split = this.splitDigitComma(piece);
      if (split === undefined) out.push(piece);
      else for (const p of split) out.push(p);
    }
    return out;
  }

  /** HF's rule for a piece ending in digit + comma (`▁9,` → `▁9`, `,`); undefined for other pieces. */
  private splitDigitComma(piece: string): string[] | undefined {
    const chars = Array.from(piece);
    if (!(chars.length > 1 && chars[chars.length - 1] === ',' && isPythonDigit(chars[chars.length - 2]!))) return undefined;
    let cur = this.sp.encode(chars.slice(0, -1).join('').replaceAll('\u2581', '')).pieces;
    if (chars[0] !== '\u2581' && cur.length > 0 && cur[0]!.startsWith('\u2581')) {
      if (Array.from(cur[0]!).length === 1) cur = cur.slice(1);
      else cur[0] = cur[0]!.slice(1);
    }
    cur.push(',');
    return cur;
  }
}

function checkText(text: unknown): void {
  if (typeof text !== 'string') throw new TokenizerError(`text must be a string, got ${text === null ? 'null' : typeof text}`);
}

function concatAligned(a: AlignedText, b: AlignedText): AlignedText {
  if (!a.tracked) return untracked(a.text + b.text);
  return { text: a.text + b.text, tracked: true, starts: [...a.starts, ...b.starts], ends: [...a.ends, ...b.ends] };
}

/** Moves `start` past whitespace of `text` inside the range (`▁word` covers `word`, not the space before it). */
function trimLeadingSpace(text: string, [start, end]: [number, number]): [number, number] {
  while (start < end && isPythonSpace(text.charCodeAt(start))) start++;
  return [start, end];
}

/** HF `clean_up_tokenization`. */
function cleanUpTokenization(text: string): string {
  return text.replaceAll(' .', '.').replaceAll(' ?', '?').replaceAll(' !', '!').replaceAll(' ,', ',')
    .replaceAll(" ' ", "'").replaceAll(" n't", "n't").replaceAll(" 'm", "'m").replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve").replaceAll(" 're", "'re");
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
  TruncateStrategy | 'do_not_truncate' {
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
  strategy: TruncateStrategy,
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
