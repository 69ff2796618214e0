import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AlbertConfig, presetConfig } from '@albert-ts/core';
import { loadBundledCorpus } from '@albert-ts/data';
import { fixturePath } from '@albert-ts/testing';

/** A very small ALBERT (V from the 500-piece BPE fixture vocab) so a training step takes milliseconds. */
export function microConfig(overrides: Partial<AlbertConfig> = {}): AlbertConfig {
  return {
    ...presetConfig('albert-tiny'), hiddenSize: 16, embeddingSize: 8, numHiddenLayers: 2, intermediateSize: 32,
    numAttentionHeads: 2, hiddenDropoutProb: 0.1, attentionProbsDropoutProb: 0.1, ...overrides,
  };
}

/** 500-piece vocabulary from the shared fixtures. */
export const VOCAB = fixturePath('sentencepiece', 'bpe500.model');

/** Writes the first `n` SOTU training speeches (truncated to 40 sentences) in the pretraining text format. */
export function smallCorpus(n = 24): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'albert-corpus-')), 'corpus.txt');
  const docs = loadBundledCorpus('sotu', 'train').slice(0, n);
  fs.writeFileSync(file, docs.map((d) => d.sentences.slice(0, 40).join('\n')).join('\n\n') + '\n');
  return file;
}

/** A fresh temporary directory. */
export function tmpOut(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'albert-run-'));
}
