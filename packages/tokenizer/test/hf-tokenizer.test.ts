import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@albert-ts/testing';
import { HfTokenizer } from '../src/hf/hf-tokenizer.js';
import { decodeModelProto } from '../src/proto/model-proto.js';
import { TokenizerError } from '../src/errors.js';

interface Case { id: string; text: string; hf_albert_tokenizer: { tokens: string[]; ids: number[]; input_ids: number[] } }
const cases: Case[] = fs.readFileSync(fixturePath('sentencepiece', 'cases.jsonl'), 'utf8').split('\n')
  .filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Case);
const proto = decodeModelProto(new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', 'unigram2k.model'))));

/**
 * tokenizer.json exactly as transformers' AlbertConverter (v4.36.2) + tokenizers 0.15 write it for this model
 * (do_lower_case=True, keep_accents=False).
 */
function albertTokenizerJson(): unknown {
  const added = (id: number, content: string, lstrip = false) =>
    ({ id, content, single_word: false, lstrip, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [added(0, '<pad>'), added(1, '<unk>'), added(2, '[CLS]'), added(3, '[SEP]'), added(4, '[MASK]', true)],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Replace', pattern: { String: '``' }, content: '"' },
        { type: 'Replace', pattern: { String: "''" }, content: '"' },
        { type: 'NFKD' },
        { type: 'StripAccents' },
        { type: 'Lowercase' },
        { type: 'Precompiled', precompiled_charsmap: Buffer.from(proto.normalizerSpec!.precompiledCharsmap!).toString('base64') },
        { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' },
      ],
    },
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', add_prefix_space: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'Metaspace', replacement: '▁', add_prefix_space: true },
    model: {
      type: 'Unigram',
      unk_id: 1,
      vocab: proto.pieces!.map((p) => [p.piece, p.score ?? 0]),
      byte_fallback: false,
    },
  };
}

const tok = HfTokenizer.fromJson(JSON.stringify(albertTokenizerJson()));
const META_ID = proto.pieces!.findIndex((p) => p.piece === '▁');

describe('HfTokenizer (tokenizer.json, Unigram) built from the fixture model', () => {
  it('equals the slow AlbertTokenizer ids on every case, up to the known fast/slow differences', () => {
    // Known fast/slow differences of HF ALBERT (not bugs of this port):
    // - the fast pipeline keeps a lone "▁" for whitespace at the end of a text segment (before a special token or
    //   at the end of the text), where the slow tokenizer strips it: compared without "▁" tokens;
    // - the slow tokenizer turns Python whitespace such as \v into a space before sentencepiece, while the fast
    //   one hands it to the charsmap, which deletes \v ("verticaltab"): skipped.
    const skipped = new Set(['edge-vertical_tab_formfeed']);
    let exact = 0;
    const bad: string[] = [];
    for (const c of cases) {
      if (skipped.has(c.id)) continue;
      const got = tok.encode(c.text).inputIds;
      const want = c.hf_albert_tokenizer.input_ids;
      const loose = /\[CLS\]|\[SEP\]|\[MASK\]|<unk>|<pad>/.test(c.text) || /\s$/u.test(c.text);
      const same = loose
        ? JSON.stringify(got.filter((id) => id !== META_ID)) === JSON.stringify(want.filter((id) => id !== META_ID))
        : JSON.stringify(got) === JSON.stringify(want);
      if (!loose) exact++;
      if (!same) bad.push(`${c.id}: ${JSON.stringify(tok.tokenize(c.text).tokens)} vs ${JSON.stringify(c.hf_albert_tokenizer.tokens)}`);
    }
    expect(exact).toBeGreaterThan(330);
    expect(bad).toEqual([]);
  });

  it('pair template: [CLS] A [SEP] B [SEP] with type ids', () => {
    const a = cases.find((c) => c.id.startsWith('sotu-'))!;
    const b = cases.find((c) => c.id.startsWith('moby-'))!;
    const enc = tok.encode(a.text, b.text);
    const A = a.hf_albert_tokenizer.ids;
    const B = b.hf_albert_tokenizer.ids;
    expect(enc.inputIds).toEqual([2, ...A, 3, ...B, 3]);
    expect(enc.tokenTypeIds).toEqual([...A.map(() => 0), 0, 0, ...B.map(() => 1), 1]);
  });

  it('batch padding and truncation', () => {
    const a = cases.find((c) => c.id.startsWith('sotu-'))!;
    const b = cases.find((c) => c.id === 'edge-single_char')!;
    const rows = tok.encodeBatch([a.text, b.text], { padding: 'longest' });
    const n = a.hf_albert_tokenizer.input_ids.length;
    expect(rows[0]!.inputIds).toEqual(a.hf_albert_tokenizer.input_ids);
    expect(rows[1]!.inputIds).toEqual([...b.hf_albert_tokenizer.input_ids, ...new Array(n - 3).fill(0)]);
    expect(rows[1]!.attentionMask).toEqual([1, 1, 1, ...new Array(n - 3).fill(0)]);
    const cut = tok.encodeBatch([[a.text, b.text]], { maxLength: 6, truncation: 'only_first' });
    expect(cut[0]!.inputIds).toEqual([2, ...a.hf_albert_tokenizer.ids.slice(0, 2), 3, ...b.hf_albert_tokenizer.ids, 3]);
    expect(cut[0]!.tokenTypeIds).toEqual([0, 0, 0, 0, 1, 1]);
  });

  it('[MASK] strips whitespace on its left; other special tokens do not', () => {
    expect(tok.tokenize('the [MASK]').tokens).toEqual(['▁the', '[MASK]']);
    expect(tok.tokenize('the [SEP]').tokens).toEqual(['▁the', '▁', '[SEP]']);
  });

  it('rejects unsupported or malformed files with TokenizerError', () => {
    expect(() => HfTokenizer.fromJson('{')).toThrow(TokenizerError);
    expect(() => HfTokenizer.fromJson('{"model": {"type": "BPE"}}')).toThrow(/only Unigram/);
    expect(() => HfTokenizer.fromJson('{"model": {"type": "Unigram", "vocab": [["a", 0]], "unk_id": 5}}')).toThrow(TokenizerError);
    expect(() => HfTokenizer.fromJson('[]')).toThrow(TokenizerError);
  });
});
