// Type-only consumer: every public entry point's declarations resolve, and typed results line up.
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, useBackend } from '@albert-ts/backends';
import { type AlbertConfig, type AlbertForPreTraining, createPretrainingModel, presetConfig } from '@albert-ts/core';
import { type HfDirectory, readHfDirectory, saveHfModel } from '@albert-ts/core/node';
import { type TextDocument, splitSentences } from '@albert-ts/data';
import { factorized } from '@albert-ts/embeddings';
import { type HfTask, hfTaskOf, mlm, sop } from '@albert-ts/objectives';
import {
  type FillMaskResult, type QuestionAnsweringResult, type TokenClassificationResult, pipelineModelFromFiles,
} from '@albert-ts/pipelines';
import { pipeline } from '@albert-ts/pipelines/node';
import { type SharingStrategy, sharedAttention } from '@albert-ts/sharing';
import { type AlbertEncoding, type AlbertTokenizer, tokenizerFiles } from '@albert-ts/tokenizer';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';
import { type Optimizer, Lamb } from '@albert-ts/trainer';

export async function typed(dir: string, backend: BackendName): Promise<void> {
  await useBackend(backend);
  const config: AlbertConfig = presetConfig('albert-tiny');
  const sharing: SharingStrategy = sharedAttention();
  const model: AlbertForPreTraining = createPretrainingModel(config, { embeddings: factorized(), sharing, objectives: [mlm(), sop()] });
  const tokenizer: AlbertTokenizer = loadAlbertTokenizer(dir);
  const encoding: AlbertEncoding = tokenizer.encode('a b');
  saveHfModel(dir, model, { tokenizerFiles: tokenizerFiles(tokenizer) });
  const files: HfDirectory = readHfDirectory(dir);
  const task: HfTask = hfTaskOf(files.config, files.tensors);
  const optimizer: Optimizer = new Lamb({ weightDecayRate: 0.01 });
  const doc: TextDocument = { id: 'd', sentences: splitSentences('One. Two.') };
  const unmask = await pipeline('fill-mask', dir);
  const predictions = (await unmask('a [MASK]')) as FillMaskResult[];
  const ner = await pipeline('ner', dir);
  const entities = (await ner('a b')) as TokenClassificationResult[];
  const qa = await pipeline('question-answering', dir);
  const answer = (await qa('q?', 'context')) as QuestionAnsweringResult;
  const t: tf.Tensor = tf.tensor1d(encoding.inputIds, 'int32');
  pipelineModelFromFiles(new Map<string, Uint8Array>()).dispose();
  optimizer.dispose();
  console.log(task.architecture, doc.sentences.length, predictions[0]?.token_str, entities[0]?.word, answer.answer, t.shape);
}
