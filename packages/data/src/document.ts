/** A document of the pretraining corpus: an id (file/line or dataset key) and its sentences, in order. */
export interface TextDocument {
  /** Stable identifier, e.g. `sotu/1790_george_washington` or `corpus.txt#3` (3rd document of the file). */
  readonly id: string;
  readonly sentences: string[];
}

/** Which split a document belongs to. */
export type Split = 'train' | 'validation' | 'test';

/** Streams of documents are async iterables so that large corpora are never loaded whole. */
export type DocumentStream = AsyncIterable<TextDocument>;
