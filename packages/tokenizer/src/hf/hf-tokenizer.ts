import { formatValue } from '@albert-ts/errors';
import { TokenizerError } from '../errors.js';
import { addedTokenMatches } from './added-tokens.js';
import { PrecompiledCharsMap } from '../normalizer/charsmap.js';
import { ByteTrie } from '../trie/byte-trie.js';
import { oneCharLen, utf8Decode, utf8Encode } from '../utf8.js';
import { truncateSequences, type AlbertEncoding, type AlbertInput, type EncodeOptions } from '../albert/albert-tokenizer.js';

// HuggingFace `tokenizers` (v0.15) semantics for a tokenizer.json with a Unigram model: added tokens are split out
// of the raw text, the rest is normalized, pre-tokenized (Metaspace / WhitespaceSplit), segmented by the Unigram
// model (Viterbi in float64, unknown runs fused), and the template post-processor adds [CLS]/[SEP].

type Json = Record<string, unknown>;

/** One normalizer step on a string. */
type NormalizerFn = (text: string) => string;

interface AddedToken {
  id: number;
  content: string;
  singleWord: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

interface TemplatePiece {
  kind: 'special' | 'sequence';
  /** Special token name, or 'A' / 'B'. */
  id: string;
  typeId: number;
}

const fail = (msg: string): never => {
  throw new TokenizerError(`tokenizer.json: ${msg}`);
};

/**
 * Why a regex from a tokenizer.json could take exponential time on some text (JavaScript regexes backtrack), or
 * undefined: a quantified group that itself contains a quantifier or an alternative (`(a+)+`, `(a|ab)*`, the
 * classic catastrophic shapes), or a backreference. Real tokenizer.json files use plain patterns such as ` {2,}`.
 */
export function backtrackingRisk(pattern: string): string | undefined {
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not allowed';
  // For each open group: does it contain a quantifier or an alternative?
  const groups: boolean[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') { i++; continue; }
    if (c === '[') { // skip a character class
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    if (c === '(') {
      groups.push(false);
      // Skip the group's own syntax (`(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`): its `?` is no quantifier.
      const prefix = /^\?(?::|=|!|<=|<!|<[^>]*>)/.exec(pattern.slice(i + 1, i + 64));
      if (prefix !== null) i += prefix[0].length;
      continue;
    }
    if (c === '|' || c === '*' || c === '+' || c === '?' || c === '{') {
      if (groups.length > 0) groups[groups.length - 1] = true;
      continue;
    }
    if (c === ')') {
      const risky = groups.pop() ?? false;
      const next = pattern[i + 1];
      if (risky && (next === '*' || next === '+' || next === '{' || next === '?')) {
        return 'a quantified group that contains a quantifier or an alternative may backtrack exponentially';
      }
      if (risky && groups.length > 0) groups[groups.length - 1] = true;
    }
  }
  return undefined;
}

function obj(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${where} must be an object`);
  return v as Json;
}

function base64ToBytes(b64: string): Uint8Array {
  if (typeof atob === 'function') {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  return fail('base64 decoding is not available');
}

/** HF `Precompiled` normalizer: grapheme by grapheme, sentencepiece charsmap with spm_precompiled's lookup. */
function precompiledNormalizer(charsmapBase64: unknown): NormalizerFn {
  if (typeof charsmapBase64 !== 'string') return fail('Precompiled.precompiled_charsmap must be a base64 string');
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(charsmapBase64);
  } catch {
    return fail('Precompiled.precompiled_charsmap is not valid base64');
  }
  if (bytes.length === 0) return (t) => t;
  const map = new PrecompiledCharsMap(bytes);
  const transform = (chunk: string): string | undefined => {
    const b = utf8Encode(chunk);
    const v = map.trie.shortestPrefixValue(b, 0, b.length);
    return v < 0 ? undefined : utf8Decode(map.replacement(v));
  };
  const Segmenter = (Intl as unknown as { Segmenter?: new (l?: string, o?: { granularity: string }) => { segment(s: string): Iterable<{ segment: string }> } }).Segmenter;
  if (Segmenter === undefined) return fail('Precompiled needs Intl.Segmenter (grapheme clusters)');
  const segmenter = new Segmenter(undefined, { granularity: 'grapheme' });
  return (text) => {
    let out = '';
    for (const { segment: g } of segmenter.segment(text)) {
      if (utf8Encode(g).length < 6) {
        const whole = transform(g);
        if (whole !== undefined) {
          out += whole;
          continue;
        }
      }
      for (const ch of g) out += transform(ch) ?? ch;
    }
    return out;
  };
}

/** Deepest nesting of `Sequence` normalizers / pre-tokenizers accepted (real files nest one level). */
const MAX_SEQUENCE_DEPTH = 16;

function buildNormalizer(spec: unknown, depth = 0): NormalizerFn {
  if (spec === null || spec === undefined) return (t) => t;
  const s = obj(spec, 'normalizer');
  switch (s.type) {
    case 'Sequence': {
      if (!Array.isArray(s.normalizers)) return fail('Sequence.normalizers must be an array');
      if (depth >= MAX_SEQUENCE_DEPTH) {
        return fail(`normalizer Sequences are nested more than ${MAX_SEQUENCE_DEPTH} deep`);
      }
      const steps = s.normalizers.map((n) => buildNormalizer(n, depth + 1));
      return (t) => steps.reduce((acc, f) => f(acc), t);
    }
    case 'Replace': {
      const pattern = obj(s.pattern, 'Replace.pattern');
      const content = typeof s.content === 'string' ? s.content : fail('Replace.content must be a string');
      if (typeof pattern.String === 'string') {
        const from = pattern.String;
        return (t) => (from === '' ? t : t.split(from).join(content));
      }
      if (typeof pattern.Regex === 'string') {
        const problem = backtrackingRisk(pattern.Regex);
        if (problem !== undefined) {
          return fail(`Replace regex ${formatValue(pattern.Regex)} is not supported: ${problem}`);
        }
        let re: RegExp;
        try {
          re = new RegExp(pattern.Regex, 'gu');
          re.test(''); // V8 compiles on first use: a pattern too large to compile fails here, not mid-text
          re.lastIndex = 0;
        } catch {
          return fail(`Replace regex ${formatValue(pattern.Regex)} is not supported`);
        }
        return (t) => t.replace(re, () => content);
      }
      return fail('Replace.pattern must be {"String": ...} or {"Regex": ...}');
    }
    case 'NFKD':
    case 'NFD':
    case 'NFKC':
    case 'NFC': {
      const form = s.type;
      return (t) => t.normalize(form);
    }
    case 'StripAccents':
      return (t) => t.replace(/\p{M}/gu, '');
    case 'Lowercase':
      return (t) => {
        let out = '';
        for (const ch of t) out += ch.toLowerCase();
        return out;
      };
    case 'Precompiled':
      return precompiledNormalizer(s.precompiled_charsmap);
    case 'Strip': {
      const left = s.strip_left !== false;
      const right = s.strip_right !== false;
      return (t) => (left && right ? t.trim() : left ? t.trimStart() : right ? t.trimEnd() : t);
    }
    case 'Prepend': {
      const p = typeof s.prepend === 'string' ? s.prepend : fail('Prepend.prepend must be a string');
      return (t) => (t === '' ? t : p + t);
    }
    default:
      return fail(`normalizer type ${formatValue(s.type)} is not supported`);
  }
}

/** Pre-tokenizer: splits a normalized segment into words; `first` tells whether it starts the input. */
type PreTokenizerFn = (text: string, first: boolean) => string[];

function buildPreTokenizer(spec: unknown, depth = 0): PreTokenizerFn {
  if (spec === null || spec === undefined) return (t) => [t];
  const s = obj(spec, 'pre_tokenizer');
  switch (s.type) {
    case 'Sequence': {
      if (!Array.isArray(s.pretokenizers)) return fail('Sequence.pretokenizers must be an array');
      if (depth >= MAX_SEQUENCE_DEPTH) return fail(`pre_tokenizer Sequences are nested more than ${MAX_SEQUENCE_DEPTH} deep`);
      const steps = s.pretokenizers.map((p) => buildPreTokenizer(p, depth + 1));
      return (t, first) => steps.reduce<string[]>((words, f) => words.flatMap((w, i) => f(w, first && i === 0)), [t]);
    }
    case 'Metaspace': {
      const rep = typeof s.replacement === 'string' && [...s.replacement].length === 1 ? s.replacement
        : fail('Metaspace.replacement must be one character');
      const scheme = typeof s.prepend_scheme === 'string' ? s.prepend_scheme : s.add_prefix_space === false ? 'never' : 'always';
      if (scheme !== 'always' && scheme !== 'first' && scheme !== 'never') fail(`Metaspace.prepend_scheme ${formatValue(scheme)} is not supported`);
      const split = s.split !== false;
      return (t, first) => {
        let n = t.split(' ').join(rep);
        if (!n.startsWith(rep) && (scheme === 'always' || (scheme === 'first' && first))) n = rep + n;
        if (!split) return [n];
        const words: string[] = [];
        let start = 0;
        for (let i = n.indexOf(rep, 1); i >= 0; i = n.indexOf(rep, i + rep.length)) {
          if (i > start) words.push(n.slice(start, i));
          start = i;
        }
        if (start < n.length) words.push(n.slice(start));
        return words;
      };
    }
    case 'WhitespaceSplit':
      return (t) => t.split(/\s+/u).filter((w) => w !== '');
    default:
      return fail(`pre_tokenizer type ${formatValue(s.type)} is not supported`);
  }
}

/**
 * HF `tokenizers` Unigram model (`encode_optimized`): Viterbi over the vocabulary in float64, unknown characters
 * scored `min(score) - 10`, consecutive unknowns fused into one token.
 */
class HfUnigram {
  readonly vocab: string[];
  readonly scores: Float64Array;
  readonly unkId: number;
  private readonly trie: ByteTrie;
  private readonly ids = new Map<string, number>();
  private readonly unkScore: number;

  constructor(spec: Json) {
    if (!Array.isArray(spec.vocab) || spec.vocab.length === 0) fail('model.vocab must be a non-empty array of [piece, score]');
    const vocab = spec.vocab as unknown[];
    this.vocab = [];
    this.scores = new Float64Array(vocab.length);
    let min = Infinity;
    const entries: [Uint8Array, number][] = [];
    vocab.forEach((e, i) => {
      if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number') fail(`model.vocab[${i}] must be [string, number]`);
      const [piece, score] = e as [string, number];
      this.vocab.push(piece);
      this.scores[i] = score;
      if (!this.ids.has(piece)) {
        this.ids.set(piece, i);
        entries.push([utf8Encode(piece), i]);
      }
      min = Math.min(min, score);
    });
    const unk = spec.unk_id;
    if (typeof unk !== 'number' || !Number.isInteger(unk) || unk < 0 || unk >= vocab.length) {
      fail(`model.unk_id ${formatValue(unk)} is not a vocabulary index`);
    }
    if (spec.byte_fallback === true) fail('model.byte_fallback=true is not supported');
    this.unkId = unk as number;
    this.unkScore = min - 10;
    this.trie = ByteTrie.build(entries);
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** Token strings of one pre-tokenized word. */
  encode(word: string): string[] {
    const text = utf8Encode(word);
    const size = text.length;
    if (size === 0) return [];
    const bestScore = new Float64Array(size + 1);
    const bestStart = new Int32Array(size + 1).fill(-1);
    const bestId = new Int32Array(size + 1).fill(-1);
    const { base, check, value } = this.trie;
    for (let startsAt = 0; startsAt < size; ) {
      const tillHere = bestScore[startsAt]!;
      const mblen = Math.min(oneCharLen(text[startsAt]!), size - startsAt);
      let hasSingle = false;
      let s = 0;
      for (let pos = startsAt; pos < size; ) {
        const t = base[s]! + text[pos]!;
        if (check[t] !== s) break;
        s = t;
        pos++;
        const id = value[s]!;
        if (id < 0) continue;
        const cand = this.scores[id]! + tillHere;
        if (bestStart[pos] === -1 || cand > bestScore[pos]!) {
          bestScore[pos] = cand;
          bestStart[pos] = startsAt;
          bestId[pos] = id;
        }
        if (pos - startsAt === mblen) hasSingle = true;
      }
      if (!hasSingle) {
        const target = startsAt + mblen;
        const cand = this.unkScore + tillHere;
        if (bestStart[target] === -1 || cand > bestScore[target]!) {
          bestScore[target] = cand;
          bestStart[target] = startsAt;
          bestId[target] = this.unkId;
        }
      }
      startsAt += mblen;
    }
    const out: string[] = [];
    let unkEnd = -1;
    for (let end = size; end > 0; ) {
      const start = bestStart[end]!;
      if (bestId[end] === this.unkId) {
        if (unkEnd < 0) unkEnd = end;
      } else {
        if (unkEnd >= 0) {
          out.push(utf8Decode(text.subarray(end, unkEnd)));
          unkEnd = -1;
        }
        out.push(utf8Decode(text.subarray(start, end)));
      }
      end = start;
    }
    if (unkEnd >= 0) out.push(utf8Decode(text.subarray(0, unkEnd)));
    return out.reverse();
  }
}

/**
 * A HuggingFace fast tokenizer loaded from `tokenizer.json` with a `Unigram` model (ALBERT, T5, XLNet style):
 * added tokens, normalizer (Replace, NFKD/NFD/NFC/NFKC, StripAccents, Lowercase, Precompiled, Strip, Prepend),
 * pre-tokenizer (Metaspace, WhitespaceSplit), Unigram model and TemplateProcessing post-processor.
 */
export class HfTokenizer {
  private readonly model: HfUnigram;
  private readonly normalizer: NormalizerFn;
  private readonly preTokenizer: PreTokenizerFn;
  private readonly added: AddedToken[];
  /** Added tokens matched in the raw text. */
  private readonly rawAdded: AddedToken[];
  private readonly single: TemplatePiece[] | undefined;
  private readonly pair: TemplatePiece[] | undefined;
  private readonly specialIds = new Map<string, number[]>();
  private readonly padId: number;
  private readonly decoderReplacement: string | undefined = undefined;

  constructor(json: unknown) {
    const root = obj(json, 'the top level');
    const model = obj(root.model, 'model');
    if (model.type !== 'Unigram') fail(`model.type ${formatValue(model.type)} is not supported (only Unigram)`);
    this.model = new HfUnigram(model);
    this.normalizer = buildNormalizer(root.normalizer);
    this.preTokenizer = buildPreTokenizer(root.pre_tokenizer);
    const added = root.added_tokens ?? [];
    if (!Array.isArray(added)) fail('added_tokens must be an array');
    this.added = (added as unknown[]).map((a, i) => {
      const t = obj(a, `added_tokens[${i}]`);
      if (typeof t.content !== 'string' || t.content === '' || !isTokenId(t.id)) {
        fail(`added_tokens[${i}] needs a non-negative integer id and a non-empty content`);
      }
      return {
        id: t.id as number, content: t.content as string, singleWord: t.single_word === true, lstrip: t.lstrip === true,
        rstrip: t.rstrip === true, normalized: t.normalized === true, special: t.special === true,
      };
    });
    const raw = this.added.filter((t) => !t.normalized);
    if (this.added.some((t) => t.normalized && !t.special)) {
      // Normalized added tokens are matched after normalization; ALBERT files have none.
      fail('added tokens with normalized=true are not supported');
    }
    this.rawAdded = raw;
    const post = root.post_processor;
    if (post !== null && post !== undefined) {
      const p = obj(post, 'post_processor');
      if (p.type !== 'TemplateProcessing') fail(`post_processor type ${formatValue(p.type)} is not supported`);
      this.single = parseTemplate(p.single, 'single');
      this.pair = parseTemplate(p.pair, 'pair');
      const specials = obj(p.special_tokens ?? {}, 'post_processor.special_tokens');
      for (const [name, v] of Object.entries(specials)) {
        const ids = obj(v, `special_tokens.${formatValue(name)}`).ids;
        if (!Array.isArray(ids) || !ids.every(isTokenId)) fail(`special_tokens.${formatValue(name)}.ids must be non-negative integers`);
        this.specialIds.set(name, ids as number[]);
      }
      for (const t of [...this.single, ...this.pair]) {
        if (t.kind === 'special' && !this.specialIds.has(t.id)) fail(`template uses unknown special token ${formatValue(t.id)}`);
      }
    }
    const pad = this.added.find((t) => t.content === '<pad>');
    this.padId = pad?.id ?? 0;
    const dec = root.decoder;
    if (dec !== null && typeof dec === 'object' && (dec as Json).type === 'Metaspace') {
      const replacement = (dec as Json).replacement ?? '\u2581';
      if (typeof replacement !== 'string' || replacement === '') fail('decoder.replacement must be a non-empty string');
      this.decoderReplacement = replacement as string;
    }
  }

  /** Parses the text of a tokenizer.json file. */
  static fromJson(text: string): HfTokenizer {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new TokenizerError(`tokenizer.json is not valid JSON (${(err as Error).message.split('\n')[0]})`);
    }
    return new HfTokenizer(json);
  }

  /** Token strings and ids of a text, without post-processing (no [CLS]/[SEP]). */
  tokenize(text: string): { tokens: string[]; ids: number[] } {
    if (typeof text !== 'string') throw new TokenizerError(`text must be a string, got ${typeof text}`);
    const tokens: string[] = [];
    const ids: number[] = [];
    let first = true;
    const pushText = (segment: string): void => {
      if (segment === '') return;
      const normalized = this.normalizer(segment);
      for (const word of this.preTokenizer(normalized, first)) {
        for (const tok of this.model.encode(word)) {
          tokens.push(tok);
          ids.push(this.model.tokenToId(tok) ?? this.model.unkId);
        }
      }
      first = false;
    };
    let last = 0;
    for (const m of addedTokenMatches(text, this.rawAdded)) {
      pushText(text.slice(last, m.start));
      tokens.push(m.token.content);
      ids.push(m.token.id);
      first = false;
      last = m.end;
    }
    pushText(text.slice(last));
    return { tokens, ids };
  }

  /** Encodes a text or pair with the template post-processor, truncation and padding (HF semantics). */
  encode(text: string, textPair?: string, options: EncodeOptions = {}): AlbertEncoding {
    let a = this.tokenize(text).ids;
    let b = textPair === undefined ? undefined : this.tokenize(textPair).ids;
    const addSpecial = options.addSpecialTokens ?? true;
    const template = b === undefined ? this.single : this.pair;
    const numSpecial = addSpecial && template !== undefined
      ? template.filter((t) => t.kind === 'special').reduce((n, t) => n + this.specialIds.get(t.id)!.length, 0) : 0;
    const trunc = options.truncation ?? (options.maxLength !== undefined ? 'longest_first' : false);
    if (trunc !== false && trunc !== 'do_not_truncate' && options.maxLength !== undefined) {
      const total = a.length + (b?.length ?? 0) + numSpecial;
      if (total > options.maxLength) {
        [a, b] = truncateSequences(a, b, total - options.maxLength, trunc === true ? 'longest_first' : trunc);
      }
    }
    let inputIds: number[] = [];
    let tokenTypeIds: number[] = [];
    if (addSpecial && template !== undefined) {
      for (const t of template) {
        const ids = t.kind === 'special' ? this.specialIds.get(t.id)! : t.id === 'A' ? a : (b ?? []);
        for (const id of ids) {
          inputIds.push(id);
          tokenTypeIds.push(t.typeId);
        }
      }
    } else {
      inputIds = [...a, ...(b ?? [])];
      tokenTypeIds = [...a.map(() => 0), ...(b ?? []).map(() => 1)];
    }
    const attentionMask = inputIds.map(() => 1);
    const padding = options.padding;
    if ((padding === 'max_length' && options.maxLength !== undefined) || options.padToMultipleOf !== undefined) {
      let length = padding === 'max_length' && options.maxLength !== undefined ? options.maxLength : inputIds.length;
      if (options.padToMultipleOf !== undefined) length = Math.ceil(length / options.padToMultipleOf) * options.padToMultipleOf;
      while (inputIds.length < length) {
        inputIds.push(this.padId);
        tokenTypeIds.push(0);
        attentionMask.push(0);
      }
    }
    return { inputIds, tokenTypeIds, attentionMask };
  }

  /** Encodes a batch; `padding: true | 'longest'` pads every row to the longest one, `'max_length'` to `maxLength`. */
  encodeBatch(inputs: readonly AlbertInput[], options: EncodeOptions = {}): AlbertEncoding[] {
    if (!Array.isArray(inputs)) throw new TokenizerError('encodeBatch expects an array of texts or [text, textPair] pairs');
    const rowOptions: EncodeOptions = { ...options, padding: false, padToMultipleOf: undefined };
    const rows = inputs.map((input, i) => {
      if (typeof input === 'string') return this.encode(input, undefined, rowOptions);
      if (Array.isArray(input) && input.length === 2 && typeof input[0] === 'string' && typeof input[1] === 'string') {
        return this.encode(input[0], input[1], rowOptions);
      }
      throw new TokenizerError(`batch item ${i} must be a string or a [text, textPair] pair of strings`);
    });
    const padding = options.padding === true ? 'longest' : options.padding;
    let length: number | undefined;
    if (padding === 'longest') length = Math.max(0, ...rows.map((r) => r.inputIds.length));
    else if (padding === 'max_length') length = options.maxLength;
    if (length === undefined) return rows;
    if (options.padToMultipleOf !== undefined) length = Math.ceil(length / options.padToMultipleOf) * options.padToMultipleOf;
    return rows.map((r) => {
      const n = Math.max(0, length! - r.inputIds.length);
      return {
        inputIds: [...r.inputIds, ...new Array<number>(n).fill(this.padId)],
        tokenTypeIds: [...r.tokenTypeIds, ...new Array<number>(n).fill(0)],
        attentionMask: [...r.attentionMask, ...new Array<number>(n).fill(0)],
      };
    });
  }

  /** Decodes ids (Metaspace decoder: `▁` → space, leading space dropped); special tokens are skipped by default. */
  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    const skip = options.skipSpecialTokens ?? true;
    const special = new Set(this.added.filter((t) => t.special).map((t) => t.id));
    const parts: string[] = [];
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.model.vocab.length) throw new TokenizerError(`token id ${id} is out of range`);
      if (skip && special.has(id)) continue;
      parts.push(this.model.vocab[id]!);
    }
    const rep = this.decoderReplacement;
    if (rep === undefined) return parts.join('');
    return parts.map((p, i) => {
      const s = p.split(rep).join(' ');
      return i === 0 && s.startsWith(' ') ? s.slice(1) : s;
    }).join('');
  }
}

/** A u32 token or type id, as HF's tokenizers stores them. */
function isTokenId(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

function parseTemplate(v: unknown, where: string): TemplatePiece[] {
  if (!Array.isArray(v)) return fail(`post_processor.${where} must be an array`);
  return v.map((item, i) => {
    const at = `post_processor.${where}[${i}]`;
    const o = obj(item, at);
    const kind = o.SpecialToken !== undefined ? 'special' : o.Sequence !== undefined ? 'sequence' : undefined;
    if (kind === undefined) return fail(`${at} must be SpecialToken or Sequence`);
    const piece = obj(kind === 'special' ? o.SpecialToken : o.Sequence, at);
    const typeId = piece.type_id ?? 0;
    if (!isTokenId(typeId)) return fail(`${at}.type_id must be a non-negative integer`);
    if (typeof piece.id !== 'string') return fail(`${at}.id must be a string`);
    if (kind === 'sequence' && piece.id !== 'A' && piece.id !== 'B') return fail(`${at}.id must be "A" or "B"`);
    return { kind, id: piece.id, typeId };
  });
}
