// Model directories for the pipeline tests: small random ALBERT models with each HF head, the fixture unigram2k
// vocabulary as their tokenizer, saved as HF directories (config.json with architectures/id2label,
// model.safetensors, spiece.model, tokenizer_config.json, special_tokens_map.json).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AlbertForPreTraining, configFromHf, type Objective } from '@albert-ts/core';
import { saveHfModel } from '@albert-ts/core/node';
import { factorized } from '@albert-ts/embeddings';
import { createTaskModel, mlm, questionAnswering, sequenceClassification, tokenClassification } from '@albert-ts/objectives';
import { fixturePath } from '@albert-ts/testing';
import { tokenizerFiles } from '@albert-ts/tokenizer';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';

export const tokenizer = loadAlbertTokenizer(fixturePath('sentencepiece', 'unigram2k.model'));

export const config = configFromHf({
  vocab_size: tokenizer.vocabSize, embedding_size: 16, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4,
  intermediate_size: 64, max_position_embeddings: 64, initializer_range: 0.3, hidden_act: 'gelu_new',
});

export const HEADS = {
  AlbertForMaskedLM: { objective: () => mlm(), labels: undefined },
  AlbertForSequenceClassification: { objective: () => sequenceClassification({ numLabels: 3 }), labels: ['negative', 'neutral', 'positive'] },
  AlbertForTokenClassification: { objective: () => tokenClassification({ numLabels: 5 }), labels: ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'] },
  AlbertForQuestionAnswering: { objective: () => questionAnswering(), labels: undefined },
} satisfies Record<string, { objective: () => Objective; labels?: string[] }>;
export type Head = keyof typeof HEADS;

export const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-pipelines-'));

/** Builds a random model with `head`, saves it as an HF directory and returns both (the caller disposes). */
export function modelDir(head: Head, seed = 1): { dir: string; model: AlbertForPreTraining } {
  const model = createTaskModel(config, HEADS[head].objective(), { embeddings: factorized(), seed });
  const dir = path.join(tmp, `${head}-${seed}`);
  // The class (and labels) are recorded in config.json, as HF's save_pretrained does.
  const labels = HEADS[head].labels;
  saveHfModel(dir, model, {
    config: { architectures: [head], ...(labels === undefined ? {} : { id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])) }) },
    tokenizerFiles: tokenizerFiles(tokenizer, { modelMaxLength: config.maxPositionEmbeddings }),
  });
  return { dir, model };
}
