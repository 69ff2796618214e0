import {
  AlbertForPreTraining, type AlbertConfig, type AlbertModelOptions, type EmbeddingModule, type HfTensor,
  modelFromHf, type Objective, type SharingStrategy,
} from '@albert-ts/core';

/**
 * Whether HF builds the backbone of this head with a pooler, as the head declares it (`objective.usesPooler`):
 * true for sequence classification, multiple choice and the sentence-order / next-sentence heads; false for token
 * classification, question answering and masked LM (HF's `add_pooling_layer=False`).
 */
export function headUsesPooler(objective: Objective): boolean {
  return objective.usesPooler === true;
}

/** Options of {@link createTaskModel}. */
export type TaskModelOptions = Omit<AlbertModelOptions, 'addPoolingLayer'> & {
  /** Build the pooler; default {@link headUsesPooler} (as HF). */
  readonly addPoolingLayer?: boolean;
};

/**
 * A backbone plus one task head, built like the HF `AlbertFor<Task>` class (pooler only where the head uses it),
 * e.g. `createTaskModel(config, tokenClassification({ numLabels: 5 }), { embeddings: factorized() })`. The head is
 * `model.heads[0]`; its variables are in `model.namedParameters()` under HF head names (`classifier.*`, ...).
 */
export function createTaskModel(config: AlbertConfig, objective: Objective, options: TaskModelOptions): AlbertForPreTraining {
  return new AlbertForPreTraining(config, {
    ...options, addPoolingLayer: options.addPoolingLayer ?? headUsesPooler(objective), objectives: [objective],
  });
}

/** Options of {@link taskModelFromHf}. */
export interface TaskModelFromHfOptions {
  /** Embedding module, e.g. `factorized()`. */
  readonly embeddings: EmbeddingModule;
  /** Sharing to build; default from config.json. */
  readonly sharing?: SharingStrategy;
  /** Build the pooler; default {@link headUsesPooler} (as HF, whatever the file holds). */
  readonly addPoolingLayer?: boolean;
}

/**
 * Loads an HF task-head checkpoint (`config.json` contents and `readSafetensors(bytes)`; names `albert.*` plus
 * `classifier.*`, `qa_outputs.*` or `predictions.*`) into a backbone plus the given head. As HF does, a file's
 * `albert.pooler.*` is ignored for heads without a pooler, and tensors of other heads are ignored; a tensor the
 * model needs but the file lacks, or a shape mismatch, throws `CheckpointError`.
 */
export function taskModelFromHf(
  configJson: unknown, tensors: ReadonlyMap<string, HfTensor>, objective: Objective, options: TaskModelFromHfOptions,
): AlbertForPreTraining {
  return modelFromHf(configJson, tensors, {
    embeddings: options.embeddings,
    sharing: options.sharing,
    objectives: [objective],
    addPoolingLayer: options.addPoolingLayer ?? headUsesPooler(objective),
  });
}
