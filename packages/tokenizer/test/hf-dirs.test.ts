// Tokenizer directories against HF's AlbertTokenizer as AutoTokenizer loads them (transformers v4.36.2 slow
// tokenizer; reference outputs from scripts/hf-reference/make-fixtures.sh). hf-cased: an spm_train cased vocabulary
// with a legacy tokenizer_config.json (do_lower_case false, keep_accents true) and special_tokens_map.json;
// ts-default / ts-cased: vocabularies trained by `albert train-tokenizer` and saved in a checkpoint by `albert pretrain`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AlbertTokenizer } from '../src/albert/albert-tokenizer.js';
import { tokenizerFiles, tokenizerFromFiles } from '../src/albert/tokenizer-files.js';
import { ALBERT_PREPROCESSING, tokenizerInputText } from '../src/albert/preprocess.js';
import { loadAlbertTokenizer, loadTokenizerDir } from '../src/node/index.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'hf-dirs');

interface Expected {
  text: string;
  tokens: string[];
  ids: number[];
  input_ids: number[];
  input_ids_truncated: number[];
  decoded: string;
  decoded_skip: string;
}

/** Every field of `expected.json` for one text, computed by `tok`. */
function outputsOf(tok: AlbertTokenizer, text: string): Omit<Expected, 'text'> {
  const tokens = tok.tokenize(text);
  const inputIds = tok.encode(text).inputIds;
  return {
    tokens, ids: tok.convertTokensToIds(tokens), input_ids: inputIds,
    input_ids_truncated: tok.encode(text, undefined, { truncation: true }).inputIds,
    decoded: tok.decode(inputIds), decoded_skip: tok.decode(inputIds, { skipSpecialTokens: true }),
  };
}

/** The texts whose outputs differ from HF's, with both. */
function mismatches(tok: AlbertTokenizer, expected: Expected[]): string[] {
  const bad: string[] = [];
  for (const { text, ...want } of expected) {
    const got = outputsOf(tok, text);
    if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${JSON.stringify(text)}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
  }
  return bad;
}

const expectedOf = (dir: string): Expected[] => JSON.parse(fs.readFileSync(path.join(FIXTURES, dir, 'expected.json'), 'utf8')) as Expected[];

describe.each(['hf-cased', 'ts-default', 'ts-cased'])('%s: loadAlbertTokenizer(dir) equals HF on 200 varied lines', (dir) => {
  const tok = loadAlbertTokenizer(path.join(FIXTURES, dir));
  const expected = expectedOf(dir);

  it('reads the settings of tokenizer_config.json', () => {
    const cased = dir !== 'ts-default';
    expect([tok.doLowerCase, tok.keepAccents, tok.removeSpace]).toEqual([!cased, cased, true]);
    expect(tok.modelMaxLength).toBe(512);
    expect([tok.clsTokenId, tok.sepTokenId, tok.padTokenId, tok.unkTokenId, tok.maskTokenId]).toEqual([2, 3, 0, 1, 4]);
    expect(tok.addedTokens.get(4)).toMatchObject({ content: '[MASK]', lstrip: true, rstrip: false });
  });

  it('tokens, ids, input_ids, truncation at model_max_length, decode', () => {
    expect(expected).toHaveLength(200);
    expect(mismatches(tok, expected)).toEqual([]);
    expect(expected.some((e) => e.input_ids.length > 512 && e.input_ids_truncated.length === 512)).toBe(true);
  });

  it('tokenizeWithOffsets gives the same tokens, and ranges inside the text', () => {
    for (const e of expected) {
      const { tokens, offsets } = tok.tokenizeWithOffsets(e.text);
      expect(tokens).toEqual(e.tokens);
      for (const [s, t] of offsets) expect(0 <= s && s <= t && t <= e.text.length, `${JSON.stringify(e.text)} [${s}, ${t})`).toBe(true);
    }
  });

  it('writing the tokenizer files and reading them back gives the same tokenizer', () => {
    const files = tokenizerFiles(tok);
    expect([...files.keys()].sort()).toEqual(['special_tokens_map.json', 'spiece.model', 'tokenizer_config.json']);
    const back = tokenizerFromFiles(files);
    for (const e of expected.slice(0, 120)) expect(back.encode(e.text)).toEqual(tok.encode(e.text));
    expect(Buffer.from(files.get('spiece.model')!).equals(fs.readFileSync(path.join(FIXTURES, dir, 'spiece.model')))).toBe(true);
    if (dir.startsWith('ts-')) {
      // What the checkpoint writer wrote is exactly what tokenizerFiles writes.
      for (const name of ['tokenizer_config.json', 'special_tokens_map.json']) {
        expect(new TextDecoder().decode(files.get(name)), name).toBe(fs.readFileSync(path.join(FIXTURES, dir, name), 'utf8'));
      }
    }
  });
});

describe('hf-added: added_tokens_decoder with rstrip, single_word, normalized and past-the-vocabulary tokens', () => {
  it('equals HF on 222 lines', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-hf-added-'));
    try {
      fs.copyFileSync(path.join(FIXTURES, 'hf-cased', 'spiece.model'), path.join(dir, 'spiece.model'));
      fs.copyFileSync(path.join(FIXTURES, 'hf-added', 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
      const tok = loadTokenizerDir(dir);
      expect(tok.convertTokensToIds(['<ent>', 'Hello World', 'ok'])).toEqual([2000, 2001, 2002]);
      expect(tok.specialTokens).toContain('<ent>');
      const expected = expectedOf('hf-added');
      expect(expected).toHaveLength(222);
      expect(mismatches(tok, expected)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the cased example of the issue', () => {
  it('"Café GNU License" gives HF\'s ids with a cased tokenizer, not the lower-casing defaults', () => {
    const e = expectedOf('hf-cased').find((x) => x.text === 'Café GNU License')!;
    const dir = path.join(FIXTURES, 'hf-cased');
    expect(loadAlbertTokenizer(dir).encode(e.text).inputIds).toEqual(e.input_ids);
    expect(e.tokens).toEqual(['▁Ca', 'f', 'é', '▁G', 'N', 'U', '▁L', 'ic', 'en', 'se']);
    // The same spiece.model read as a bare .model file gets albert-base-v2's lower-casing: other ids.
    const plain = AlbertTokenizer.fromBytes(fs.readFileSync(path.join(dir, 'spiece.model')));
    expect(plain.encode(e.text).inputIds).not.toEqual(e.input_ids);
  });
});

describe('a TS-trained default vocabulary has no unreachable pieces', () => {
  it('every piece of ts-default survives the tokenizer\'s preprocessing and normalization', () => {
    const tok = loadAlbertTokenizer(path.join(FIXTURES, 'ts-default'));
    const unreachable: string[] = [];
    for (let id = 0; id < tok.vocabSize; id++) {
      if (tok.sp.isControl(id) || tok.sp.isUnknown(id)) continue;
      const word = tok.sp.idToPiece(id).replace(/^\u2581/, '');
      if (tok.sp.normalize(tokenizerInputText(word, ALBERT_PREPROCESSING)) !== tok.sp.normalize(word)) unreachable.push(word);
    }
    expect(unreachable).toEqual([]);
  });
});
