// Browser entry point (the `browser` export condition): everything that does not read files. Corpora, file
// readers, JSONL files and downstream tasks are Node-only (index.ts); in browsers, fetch the text and parse it
// with `documentsFromLines`.
export { DataError } from './errors.js';
export { Rng, checkSeed } from './rng.js';
export type { RngState } from './rng.js';
export { Utf8Validator } from './utf8.js';
export { splitSentences } from './sentences.js';
export type { TextDocument, Split, DocumentStream } from './document.js';
export { documentsFromLines, evenlySpaced, toPretrainingText, type TextFormat } from './text-format.js';
export { parseEmail, htmlToText } from './email.js';
export type { EmailText } from './email.js';
export { WORD_START, tokenizeDocument, tokenizeDocuments, vocabInfo, fromAlbertTokenizer } from './tokenizer.js';
export type { PieceTokenizer, TokenizedDocument, VocabInfo, AlbertTokenizerLike } from './tokenizer.js';
export { createMaskedLmPredictions } from './masking.js';
export type { MaskingOptions, MaskedSequence } from './masking.js';
export { SENTENCE_OBJECTIVES, sentenceObjective, sopObjective, nspObjective, noSentenceObjective } from './objectives.js';
export type { SentenceObjective, SentencePairObjective, SentencePair, PairContext } from './objectives.js';
export { createPretrainingInstances, instancesFromDocument, resolveInstanceOptions, checkCorpusForObjective } from './instances.js';
export type { PretrainingInstance, InstanceOptions } from './instances.js';
export { lengthMatchedPairs, pairCueBaselines, sentenceEndIds, segmentLengths, unmaskedIds } from './eval-pairs.js';
export type { PairSetOptions, PairCueBaselines, CueRule } from './eval-pairs.js';
export { toBatchArrays } from './batch.js';
export type { PretrainingBatchArrays } from './batch.js';
export { toBatchTensors, exampleBatch, disposeBatch } from './batch-tensors.js';
export { encodeExamples } from './task-encoding.js';
export type { EncodedExamples, PairEncoder } from './task-encoding.js';
export { BatchIterator } from './batch-iterator.js';
export type { BatchCursor, BatchIteratorOptions } from './batch-iterator.js';
