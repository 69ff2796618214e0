// tokenizer_config.json and special_tokens_map.json of a HuggingFace ALBERT tokenizer: read with HF's keys, defaults
// and precedence, and written as transformers v4.36.2's `AlbertTokenizer.save_pretrained` writes them.

import { TokenizerError } from '../errors.js';
import type { AddedToken, ResolvedAddedToken, TokenSpec } from './added-token.js';
import type { AlbertTokenizer, AlbertTokenizerOptions } from './albert-tokenizer.js';

export const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';
export const SPECIAL_TOKENS_MAP_FILE = 'special_tokens_map.json';

/** HF special-token attributes, in `SPECIAL_TOKENS_ATTRIBUTES` order, with our option names. */
const SPECIAL_KEYS = [
  ['bos_token', 'bosToken'], ['eos_token', 'eosToken'], ['unk_token', 'unkToken'], ['sep_token', 'sepToken'],
  ['pad_token', 'padToken'], ['cls_token', 'clsToken'], ['mask_token', 'maskToken'],
] as const;

const BOOLEAN_KEYS = [
  ['do_lower_case', 'doLowerCase'], ['remove_space', 'removeSpace'], ['keep_accents', 'keepAccents'],
  ['clean_up_tokenization_spaces', 'cleanUpTokenizationSpaces'],
] as const;

/** `tokenizer_class` values this tokenizer implements (the fast class is read as the slow one). */
const TOKENIZER_CLASSES = ['AlbertTokenizer', 'AlbertTokenizerFast'];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** An HF serialized AddedToken (`{content, lstrip, rstrip, single_word, normalized, special}`, `__type` optional). */
function addedTokenFromJson(json: unknown, field: string, special?: boolean): AddedToken {
  if (!isRecord(json) || typeof json.content !== 'string' || json.content === '') {
    throw new TokenizerError(`${field}: expected {"content": "...", ...}, got ${JSON.stringify(json)?.slice(0, 80)}`);
  }
  const flag = (key: string): boolean | undefined => {
    const v = json[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw new TokenizerError(`${field}.${key} must be a boolean, got ${JSON.stringify(v)}`);
    return v;
  };
  return {
    content: json.content, lstrip: flag('lstrip'), rstrip: flag('rstrip'), singleWord: flag('single_word'),
    normalized: flag('normalized'), special: special ?? flag('special'),
  };
}

function tokenSpecFromJson(json: unknown, field: string, special?: boolean): TokenSpec {
  if (typeof json === 'string') {
    if (json === '') throw new TokenizerError(`${field} must not be empty`);
    return json;
  }
  return addedTokenFromJson(json, field, special);
}

/**
 * {@link AlbertTokenizerOptions} from the parsed `tokenizer_config.json` and `special_tokens_map.json` of an HF
 * directory, as transformers v4.36.2's `from_pretrained` reads them: `do_lower_case`, `remove_space`,
 * `keep_accents`, `model_max_length`, `clean_up_tokenization_spaces`, the special tokens (strings or AddedToken
 * objects), `additional_special_tokens` and `added_tokens_decoder`. `special_tokens_map.json` is read only when
 * the config has no `added_tokens_decoder` (HF's legacy path), and then its tokens override the config's. Missing
 * keys take `AlbertTokenizer`'s defaults; unknown keys are ignored; a wrong type is a one-line
 * {@link TokenizerError} naming the file and key.
 */
export function albertTokenizerOptionsFromHf(tokenizerConfig: unknown, specialTokensMap?: unknown): AlbertTokenizerOptions {
  const config = tokenizerConfig ?? {};
  if (!isRecord(config)) throw new TokenizerError(`${TOKENIZER_CONFIG_FILE}: must be a JSON object`);
  const cls = config.tokenizer_class;
  if (cls !== undefined && cls !== null && !(typeof cls === 'string' && TOKENIZER_CLASSES.includes(cls))) {
    throw new TokenizerError(`${TOKENIZER_CONFIG_FILE}: tokenizer_class=${JSON.stringify(cls)} is not supported (only AlbertTokenizer)`);
  }
  const options: AlbertTokenizerOptions = {};
  for (const [key, name] of BOOLEAN_KEYS) {
    const v = config[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') throw new TokenizerError(`${TOKENIZER_CONFIG_FILE}: ${key} must be true or false, got ${JSON.stringify(v)}`);
    options[name] = v;
  }
  // HF writes int(1e30) for "no limit"; the tokenizer reads anything above 1e20 so.
  const max = config.model_max_length;
  if (max !== undefined && max !== null) {
    if (typeof max !== 'number' || !Number.isInteger(max) || max <= 0) {
      throw new TokenizerError(`${TOKENIZER_CONFIG_FILE}: model_max_length must be a positive integer, got ${JSON.stringify(max)}`);
    }
    options.modelMaxLength = max;
  }

  // Special tokens: the config's values, then (legacy files) special_tokens_map.json's.
  // key -> [raw JSON value, the file it came from, special flag HF forces on it]
  const values = new Map<string, [unknown, string, boolean | undefined]>();
  for (const [key] of SPECIAL_KEYS) {
    if (config[key] !== undefined && config[key] !== null) values.set(key, [config[key], TOKENIZER_CONFIG_FILE, undefined]);
  }
  const additional: TokenSpec[] = [];
  const pushAdditional = (list: unknown, file: string, special?: boolean): void => {
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) throw new TokenizerError(`${file}: additional_special_tokens must be a list`);
    list.forEach((t, i) => {
      const spec = tokenSpecFromJson(t, `${file}: additional_special_tokens[${i}]`, special);
      const content = typeof spec === 'string' ? spec : spec.content;
      if (!additional.some((a) => (typeof a === 'string' ? a : a.content) === content)) additional.push(spec);
    });
  };
  pushAdditional(config.additional_special_tokens, TOKENIZER_CONFIG_FILE);
  const decoderJson = config.added_tokens_decoder;
  const added: [number, AddedToken][] = [];
  if (decoderJson !== undefined && decoderJson !== null) {
    if (!isRecord(decoderJson)) throw new TokenizerError(`${TOKENIZER_CONFIG_FILE}: added_tokens_decoder must be an object {"id": {...}}`);
    for (const [idText, json] of Object.entries(decoderJson)) {
      const id = Number(idText);
      if (!/^\d+$/.test(idText) || !Number.isSafeInteger(id)) {
        throw new TokenizerError(`${TOKENIZER_CONFIG_FILE}: added_tokens_decoder key ${JSON.stringify(idText)} is not a token id`);
      }
      added.push([id, addedTokenFromJson(json, `${TOKENIZER_CONFIG_FILE}: added_tokens_decoder["${idText}"]`)]);
    }
  } else if (specialTokensMap !== undefined && specialTokensMap !== null) {
    if (!isRecord(specialTokensMap)) throw new TokenizerError(`${SPECIAL_TOKENS_MAP_FILE}: must be a JSON object`);
    for (const [key] of SPECIAL_KEYS) {
      const v = specialTokensMap[key];
      if (v !== undefined && v !== null) values.set(key, [v, SPECIAL_TOKENS_MAP_FILE, true]);
    }
    pushAdditional(specialTokensMap.additional_special_tokens, SPECIAL_TOKENS_MAP_FILE, true);
  }
  // As HF, a special token given as a string takes the flags of the added token with that content.
  const byContent = new Map(added.map(([, t]) => [t.content, t]));
  for (const [key, name] of SPECIAL_KEYS) {
    const v = values.get(key);
    if (v === undefined) continue;
    const spec = tokenSpecFromJson(v[0], `${v[1]}: ${key}`, v[2]);
    options[name] = typeof spec === 'string' ? (byContent.get(spec) ?? spec) : spec;
  }
  if (additional.length > 0) options.additionalSpecialTokens = additional;
  if (added.length > 0) options.addedTokens = added.sort((a, b) => a[0] - b[0]);
  return options;
}

function addedTokenToJson(t: ResolvedAddedToken, withSpecial: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    content: t.content, lstrip: t.lstrip, normalized: t.normalized, rstrip: t.rstrip, single_word: t.singleWord,
  };
  if (withSpecial) out.special = t.special;
  return out;
}

/** `json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False)` + newline, as HF writes its JSON files. */
function sortedJson(obj: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (!isRecord(x)) return x;
    return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort(x[k])]));
  };
  return `${JSON.stringify(sort(obj), null, 2)}\n`;
}

/**
 * `tokenizer_config.json` and `special_tokens_map.json` of `tok` as transformers v4.36.2's `save_pretrained` writes
 * them (`tokenizer_class: AlbertTokenizer`, every setting, `added_tokens_decoder`), so that
 * `AutoTokenizer.from_pretrained(dir)` builds the same tokenizer. `modelMaxLength` overrides the tokenizer's.
 */
export function hfTokenizerConfig(tok: AlbertTokenizer, options: { modelMaxLength?: number } = {}):
  { tokenizerConfig: string; specialTokensMap: string } {
  const addedTokensDecoder: Record<string, unknown> = {};
  for (const [id, t] of tok.addedTokens) addedTokensDecoder[String(id)] = addedTokenToJson(t, true);
  const config: Record<string, unknown> = {
    added_tokens_decoder: addedTokensDecoder,
    bos_token: tok.bosToken,
    clean_up_tokenization_spaces: tok.cleanUpTokenizationSpaces,
    cls_token: tok.clsToken,
    do_lower_case: tok.doLowerCase,
    eos_token: tok.eosToken,
    keep_accents: tok.keepAccents,
    mask_token: tok.maskToken,
    pad_token: tok.padToken,
    remove_space: tok.removeSpace,
    sep_token: tok.sepToken,
    sp_model_kwargs: {},
    tokenizer_class: 'AlbertTokenizer',
    unk_token: tok.unkToken,
  };
  const maxLength = options.modelMaxLength ?? tok.modelMaxLength;
  if (maxLength !== undefined) config.model_max_length = maxLength;
  if (tok.additionalSpecialTokens.length > 0) config.additional_special_tokens = [...tok.additionalSpecialTokens];
  // special_tokens_map.json: a plain string where the token has the flags a string gets, else the AddedToken.
  const map: Record<string, unknown> = {};
  const named: Record<string, string> = {
    bos_token: tok.bosToken, eos_token: tok.eosToken, unk_token: tok.unkToken, sep_token: tok.sepToken,
    pad_token: tok.padToken, cls_token: tok.clsToken, mask_token: tok.maskToken,
  };
  const tokenFor = (content: string): ResolvedAddedToken => {
    for (const t of tok.addedTokens.values()) if (t.content === content) return t;
    throw new TokenizerError(`special token ${JSON.stringify(content)} is not an added token`);
  };
  const asMapValue = (content: string, key: string): unknown => {
    const t = tokenFor(content);
    const plain = !t.lstrip && !t.rstrip && !t.singleWord && !t.normalized;
    return plain && key !== 'mask_token' ? content : addedTokenToJson(t, false);
  };
  for (const [key, content] of Object.entries(named)) map[key] = asMapValue(content, key);
  if (tok.additionalSpecialTokens.length > 0) {
    map.additional_special_tokens = tok.additionalSpecialTokens.map((c) => asMapValue(c, 'additional_special_tokens'));
  }
  return { tokenizerConfig: sortedJson(config), specialTokensMap: sortedJson(map) };
}
