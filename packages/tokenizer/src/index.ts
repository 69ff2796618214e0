export { TokenizerError } from './errors.js';
export {
  decodeModelProto,
  encodeModelProto,
  PieceType,
  ModelType,
  TRAINER_SPEC_DEFAULTS,
  sentencepieceDescriptor,
} from './proto/index.js';
export type {
  ModelProto,
  SentencePieceProto,
  TrainerSpecProto,
  NormalizerSpecProto,
  SelfTestDataProto,
} from './proto/index.js';
export { SentencePieceModel } from './sentencepiece.js';
export type { Encoding, EncodingWithOffsets } from './sentencepiece.js';
export { Normalizer } from './normalizer/normalizer.js';
export type { NormalizerOptions, Normalized } from './normalizer/normalizer.js';
export { PrecompiledCharsMap } from './normalizer/charsmap.js';
export { Vocabulary } from './model/vocabulary.js';
export type { Segmentation, SegmentationModel } from './model/vocabulary.js';
export { UnigramModel, UNK_PENALTY } from './model/unigram.js';
export { BpeModel } from './model/bpe.js';
export { AlbertTokenizer, truncateSequences } from './albert/albert-tokenizer.js';
export {
  SPIECE_FILE, tokenizerFiles, tokenizerFromFiles, type TokenizerFilesOptions,
} from './albert/tokenizer-files.js';
export {
  albertTokenizerOptionsFromHf, hfTokenizerConfig, TOKENIZER_CONFIG_FILE, SPECIAL_TOKENS_MAP_FILE,
} from './albert/tokenizer-config.js';
export type {
  AlbertTokenizerOptions,
  AlbertEncoding,
  AlbertInput,
  EncodeOptions,
  Padding,
  Truncation,
  TokensWithOffsets,
} from './albert/albert-tokenizer.js';
export type { AddedToken, ResolvedAddedToken, TokenSpec } from './albert/added-token.js';
export {
  ALBERT_PREPROCESSING, CASED_PREPROCESSING, albertPreprocess, tokenizerInputText, type AlbertPreprocessing,
} from './albert/preprocess.js';
export { HfTokenizer } from './hf/hf-tokenizer.js';
export {
  trainSentencePiece,
  trainAlbertTokenizer,
  decodeTrainingText,
  ALBERT_TRAINER_DEFAULTS,
  resolveTrainerOptions,
  nmtNfkcCharsmap,
} from './train/index.js';
export type {
  AlbertTrainerOptions,
  TrainedModel,
  TrainerOptions,
  TrainerProgress,
  TrainerModelType,
  ResolvedTrainerOptions,
} from './train/index.js';
