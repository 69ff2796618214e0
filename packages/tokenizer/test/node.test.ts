import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '@albert-ts/testing';
import { loadAlbertTokenizer, loadHfTokenizer, loadSentencePieceModel } from '../src/node/index.js';
import { TokenizerError } from '../src/errors.js';

describe('@albert-ts/tokenizer/node file loaders', () => {
  it('loads the fixture models', () => {
    const sp = loadSentencePieceModel(fixturePath('sentencepiece', 'unigram2k.model'));
    expect(sp.vocabSize).toBe(2000);
    expect(sp.encode('leading spaces').pieces).toEqual(['▁lead', 'ing', '▁space', 's']);
    const tok = loadAlbertTokenizer(fixturePath('sentencepiece', 'unigram2k.model'));
    expect(tok.encode('leading spaces').inputIds).toEqual([2, 694, 23, 1781, 17, 3]);
  });

  it('missing files, directories and non-model files are one-line TokenizerErrors', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tok-node-'));
    try {
      expect(() => loadSentencePieceModel(path.join(tmp, 'nope.model'))).toThrow(/no such file/);
      expect(() => loadSentencePieceModel(tmp)).toThrow(TokenizerError);
      const json = path.join(tmp, 'tokenizer.json');
      fs.writeFileSync(json, '{"not": "a model"}');
      expect(() => loadSentencePieceModel(json)).toThrow(TokenizerError);
      expect(() => loadHfTokenizer(json)).toThrow(TokenizerError);
      fs.writeFileSync(json, '');
      expect(() => loadSentencePieceModel(json)).toThrow(/empty/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('nothing reachable from the main entry imports node: modules (browser-safe)', () => {
    const srcDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'src');
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = fs.readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/from ['"]node:|require\(|from ['"](fs|path|os|url|util)['"]|import\(['"]node:/);
      for (const m of text.matchAll(/from ['"](\.{1,2}\/[^'"]+)\.js['"]/g)) visit(path.resolve(path.dirname(file), `${m[1]}.ts`));
    };
    visit(path.join(srcDir, 'index.ts'));
    expect(seen.size).toBeGreaterThan(10);
  });
});
