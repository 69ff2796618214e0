export { decodeModelProto, encodeModelProto, PieceType, ModelType, TRAINER_SPEC_DEFAULTS } from './model-proto.js';
export type {
  ModelProto,
  SentencePieceProto,
  TrainerSpecProto,
  NormalizerSpecProto,
  SelfTestDataProto,
} from './model-proto.js';
export { sentencepieceDescriptor } from './descriptor.js';
