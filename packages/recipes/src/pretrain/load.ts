import { type AlbertForPreTraining, modelFromHf } from '@albert-ts/core';
import { readHfDirectory } from '@albert-ts/core/node';
import { SENTENCE_OBJECTIVES, type SentenceObjective } from '@albert-ts/data';
import { factorized } from '@albert-ts/embeddings';
import { mlm, nsp, sop } from '@albert-ts/objectives';
import { modelDirectory } from '../finetune/classifier.js';

/**
 * Reloads a model saved by {@link pretrain} (an HF directory, or a run directory's latest checkpoint) with its MLM
 * head and sentence head, and the objective it was pretrained with (config.json's `albert_ts_objective`; `sop` when
 * absent, as for HF's own ALBERT checkpoints). Sharing comes from the config (`albert_ts_sharing` or HF groups).
 */
export function loadPretrainingModel(dir: string): { model: AlbertForPreTraining; objective: SentenceObjective; checkpoint: string } {
  const checkpoint = modelDirectory(dir);
  const { config, tensors } = readHfDirectory(checkpoint);
  const saved = config['albert_ts_objective'];
  const objective: SentenceObjective = (SENTENCE_OBJECTIVES as readonly unknown[]).includes(saved) ? saved as SentenceObjective : 'sop';
  const model = modelFromHf(config, tensors, { embeddings: factorized(), objectives: [mlm(), objective === 'nsp' ? nsp() : sop()] });
  return { model, objective, checkpoint };
}
