// Reading tokenizer_config.json / special_tokens_map.json (HF's keys, defaults and precedence), their errors, and
// token offsets.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, thrown } from '@albert-ts/testing';
import { AlbertTokenizer } from '../src/albert/albert-tokenizer.js';
import { albertTokenizerOptionsFromHf } from '../src/albert/tokenizer-config.js';
import { trainAlbertTokenizer } from '../src/train/albert-tokenizer.js';
import { CASED_PREPROCESSING } from '../src/albert/preprocess.js';
import { TokenizerError } from '../src/errors.js';

const bytes = new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', 'unigram2k.model')));


describe('albertTokenizerOptionsFromHf', () => {
  it('no files: AlbertTokenizer defaults', () => {
    expect(albertTokenizerOptionsFromHf(undefined, undefined)).toEqual({});
    const tok = AlbertTokenizer.fromBytes(bytes, albertTokenizerOptionsFromHf({}));
    expect([tok.doLowerCase, tok.removeSpace, tok.keepAccents, tok.modelMaxLength]).toEqual([true, true, false, undefined]);
  });

  it('reads the flags and model_max_length; HF\'s int(1e30) means no limit', () => {
    const o = albertTokenizerOptionsFromHf({ do_lower_case: false, keep_accents: true, remove_space: false, model_max_length: 128,
      clean_up_tokenization_spaces: false, unrelated_key: [1, 2] });
    expect(o).toEqual({ doLowerCase: false, keepAccents: true, removeSpace: false, modelMaxLength: 128, cleanUpTokenizationSpaces: false });
    const tok = AlbertTokenizer.fromBytes(bytes, albertTokenizerOptionsFromHf({ model_max_length: 1e30 }));
    expect(tok.modelMaxLength).toBeUndefined();
  });

  it('special_tokens_map.json overrides the config in the legacy layout, and is ignored with added_tokens_decoder', () => {
    const legacy = albertTokenizerOptionsFromHf({ mask_token: '[MASK]' },
      { mask_token: { content: '[MASK]', lstrip: false, rstrip: true, normalized: false, single_word: false }, unk_token: '<unk>' });
    expect(legacy.maskToken).toMatchObject({ content: '[MASK]', lstrip: false, rstrip: true, singleWord: false, normalized: false, special: true });
    expect(legacy.unkToken).toBe('<unk>');
    const modern = albertTokenizerOptionsFromHf(
      { mask_token: '[MASK]', added_tokens_decoder: { 4: { content: '[MASK]', lstrip: true, rstrip: false, normalized: false, single_word: false, special: true } } },
      { mask_token: { content: '[MASK]', lstrip: false, rstrip: true } });
    expect(modern.maskToken).toMatchObject({ content: '[MASK]', lstrip: true, rstrip: false });
    expect(modern.addedTokens).toHaveLength(1);
  });

  it('accepts the legacy {"__type": "AddedToken"} form', () => {
    const o = albertTokenizerOptionsFromHf({ mask_token: { __type: 'AddedToken', content: '[MASK]', lstrip: true, rstrip: false } });
    expect(o.maskToken).toMatchObject({ content: '[MASK]', lstrip: true });
  });

  it('refuses wrong types and other tokenizer classes with one line naming the file and key', () => {
    const cases: [unknown, unknown, RegExp][] = [
      [[], undefined, /tokenizer_config\.json: must be a JSON object/],
      [{ tokenizer_class: 'BertTokenizer' }, undefined, /tokenizer_config\.json: tokenizer_class="BertTokenizer" is not supported/],
      [{ do_lower_case: 'yes' }, undefined, /tokenizer_config\.json: do_lower_case must be true or false, got "yes"/],
      [{ model_max_length: -5 }, undefined, /model_max_length must be a positive integer, got -5/],
      [{ model_max_length: 12.5 }, undefined, /model_max_length must be a positive integer/],
      [{ mask_token: { lstrip: true } }, undefined, /mask_token: expected \{"content": "\.\.\.", \.\.\.\}/],
      [{ mask_token: '' }, undefined, /mask_token must not be empty/],
      [{ added_tokens_decoder: { x: { content: 'a' } } }, undefined, /added_tokens_decoder key "x" is not a token id/],
      [{ added_tokens_decoder: { 5: { content: 'a', lstrip: 'no' } } }, undefined, /added_tokens_decoder\["5"\]\.lstrip must be a boolean/],
      [{ additional_special_tokens: 'x' }, undefined, /additional_special_tokens must be a list/],
      [{}, [1], /special_tokens_map\.json: must be a JSON object/],
    ];
    for (const [config, map, re] of cases) {
      const err = thrown(() => albertTokenizerOptionsFromHf(config, map));
      expect(err, JSON.stringify(config)).toBeInstanceOf(TokenizerError);
      expect(err.message).toMatch(re);
      expect(err.message).not.toMatch(/\n/);
    }
  });
});

describe('model_max_length', () => {
  const tok = AlbertTokenizer.fromBytes(bytes, { modelMaxLength: 8 });
  const text = 'the people of the united states of america and the world';

  it('is the maxLength of truncation: true and padding: max_length, and nothing else', () => {
    const full = tok.encode(text).inputIds;
    expect(full.length).toBeGreaterThan(8);
    expect(tok.encode(text, undefined, { truncation: true }).inputIds).toEqual([...full.slice(0, 7), 3]);
    expect(tok.encode('the', undefined, { padding: 'max_length' }).inputIds).toHaveLength(8);
    expect(tok.encode(text, undefined, { truncation: true, maxLength: 5 }).inputIds).toHaveLength(5);
  });
});

describe('tokenizeWithOffsets', () => {
  const tok = AlbertTokenizer.fromBytes(bytes);

  it('each token covers the original characters it came from (leading space excluded)', () => {
    const text = '  The  Café, in 1990,   [MASK] said ``yes\'\'.';
    const { tokens, offsets } = tok.tokenizeWithOffsets(text);
    expect(tokens).toEqual(tok.tokenize(text));
    const spans = offsets.map(([s, e]) => text.slice(s, e));
    // the original text of each token, lower-cased and without accents, is the token's text
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!.replace(/^\u2581/, '');
      const span = spans[i]!;
      if (t === '[MASK]') expect(span).toBe('[MASK]');
      else if (t === '"') expect(['``', "''"]).toContain(span);
      else expect(span.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, ''), `${tokens[i]} <- ${span}`).toBe(t);
    }
    expect(spans.join('')).toBe('TheCafé,in1990,[MASK]said``yes\'\'.');
  });

  it('splits of digit-comma pieces and surrogate pairs keep valid ranges', () => {
    const text = '1,000,000 😀 2,';
    const { tokens, offsets } = tok.tokenizeWithOffsets(text);
    expect(tokens).toEqual(tok.tokenize(text));
    for (const [s, e] of offsets) expect(0 <= s && s <= e && e <= text.length).toBe(true);
    expect(text.slice(...offsets.at(-1)!)).toBe(',');
  });
});

describe('trainAlbertTokenizer', () => {
  const lines = fs.readFileSync(fixturePath('sentencepiece', 'cases.jsonl'), 'utf8').split('\n').filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text);

  it('default: the tokenizer lower-cases and the vocabulary has no upper case; cased: both keep case', () => {
    const lower = trainAlbertTokenizer(lines, { vocabSize: 300 });
    expect(lower.doLowerCase).toBe(true);
    const pieces = (t: AlbertTokenizer) => Array.from({ length: t.vocabSize }, (_, i) => i)
      .filter((i) => !t.sp.isControl(i)).map((i) => t.sp.idToPiece(i));
    expect(pieces(lower).filter((p) => /[A-Z]/.test(p))).toEqual([]);
    const cased = trainAlbertTokenizer(lines, { vocabSize: 300, preprocessing: CASED_PREPROCESSING });
    expect([cased.doLowerCase, cased.keepAccents]).toEqual([false, true]);
    expect(pieces(cased).some((p) => /[A-Z]/.test(p))).toBe(true);
  });
});
