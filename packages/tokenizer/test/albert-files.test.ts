import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@albert-ts/testing';
import { AlbertTokenizer, SPIECE_FILE, TokenizerError, tokenizerFiles, trainAlbertTokenizer } from '../src/index.js';
import { loadTokenizerDir } from '../src/node/index.js';
import { sotuLines } from './train-corpus.js';

describe('ALBERT tokenizer files and vocabulary training', () => {
  it('tokenizerFiles saves the exact .model bytes with the settings, and loadTokenizerDir reads them back', () => {
    const bytes = new Uint8Array(fs.readFileSync(fixturePath('sentencepiece', 'unigram2k.model')));
    const tok = AlbertTokenizer.fromBytes(bytes);
    const files = tokenizerFiles(tok);
    expect([...files.keys()]).toEqual([SPIECE_FILE, 'tokenizer_config.json', 'special_tokens_map.json']);
    expect(Buffer.from(files.get(SPIECE_FILE)!).equals(Buffer.from(bytes))).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-tok-'));
    for (const [name, data] of files) fs.writeFileSync(path.join(dir, name), data);
    expect(loadTokenizerDir(dir).encode('Hello world').inputIds).toEqual(tok.encode('Hello world').inputIds);
    expect(() => loadTokenizerDir(path.join(dir, 'missing'))).toThrow(TokenizerError);
    fs.rmSync(dir, { recursive: true });
  });

  it('trainAlbertTokenizer trains on ALBERT-preprocessed text: no upper case or accented piece', () => {
    const raw = sotuLines(1790, 1792).map((s) => s.toUpperCase().replace(/e/g, 'É'));
    const tok = trainAlbertTokenizer(raw, { vocabSize: 300 });
    expect(tok.vocabSize).toBe(300);
    const pieces = tok.convertIdsToTokens(Array.from({ length: 300 }, (_, i) => i));
    expect(pieces.filter((p) => /[A-ZÉ]/.test(p) && !/^\[|<|>$/.test(p))).toEqual([]);
    const again = AlbertTokenizer.fromBytes(tokenizerFiles(tok).get(SPIECE_FILE)!);
    expect(again.encodeIds(raw[3])).toEqual(tok.encodeIds(raw[3]));
  });
});
