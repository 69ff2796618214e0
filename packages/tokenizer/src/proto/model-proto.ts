import protobuf from 'protobufjs/light.js';
import { TokenizerError } from '../errors.js';
import { sentencepieceDescriptor } from './descriptor.js';

/** `ModelProto.SentencePiece.Type` values. */
export const PieceType = {
  NORMAL: 1,
  UNKNOWN: 2,
  CONTROL: 3,
  USER_DEFINED: 4,
  UNUSED: 5,
  BYTE: 6,
} as const;
export type PieceType = (typeof PieceType)[keyof typeof PieceType];

/** `TrainerSpec.ModelType` values. */
export const ModelType = { UNIGRAM: 1, BPE: 2, WORD: 3, CHAR: 4 } as const;
export type ModelType = (typeof ModelType)[keyof typeof ModelType];

/** One vocabulary entry. An absent `type` means NORMAL (proto default). */
export interface SentencePieceProto {
  piece?: string;
  score?: number;
  type?: number;
}

/**
 * `TrainerSpec`. Only the fields present in the file are set after decoding (proto2 presence is kept so that
 * re-encoding is byte-for-byte identical); use the documented sentencepiece defaults for absent fields.
 */
export interface TrainerSpecProto {
  input?: string[];
  inputFormat?: string;
  modelPrefix?: string;
  modelType?: number;
  vocabSize?: number;
  acceptLanguage?: string[];
  selfTestSampleSize?: number;
  enableDifferentialPrivacy?: boolean;
  differentialPrivacyNoiseLevel?: number;
  differentialPrivacyClippingThreshold?: number;
  characterCoverage?: number;
  inputSentenceSize?: number;
  shuffleInputSentence?: boolean;
  miningSentenceSize?: number;
  trainingSentenceSize?: number;
  seedSentencepieceSize?: number;
  shrinkingFactor?: number;
  maxSentenceLength?: number;
  numThreads?: number;
  numSubIterations?: number;
  maxSentencepieceLength?: number;
  splitByUnicodeScript?: boolean;
  splitByNumber?: boolean;
  splitByWhitespace?: boolean;
  treatWhitespaceAsSuffix?: boolean;
  allowWhitespaceOnlyPieces?: boolean;
  splitDigits?: boolean;
  pretokenizationDelimiter?: string;
  controlSymbols?: string[];
  userDefinedSymbols?: string[];
  requiredChars?: string;
  byteFallback?: boolean;
  vocabularyOutputPieceScore?: boolean;
  hardVocabLimit?: boolean;
  useAllVocab?: boolean;
  unkId?: number;
  bosId?: number;
  eosId?: number;
  padId?: number;
  unkPiece?: string;
  bosPiece?: string;
  eosPiece?: string;
  padPiece?: string;
  unkSurface?: string;
  trainExtremelyLargeCorpus?: boolean;
  seedSentencepiecesFile?: string;
}

/** `NormalizerSpec` (also used for `denormalizer_spec`). Absent booleans default to true upstream. */
export interface NormalizerSpecProto {
  name?: string;
  precompiledCharsmap?: Uint8Array;
  addDummyPrefix?: boolean;
  removeExtraWhitespaces?: boolean;
  escapeWhitespaces?: boolean;
  normalizationRuleTsv?: string;
}

/** `SelfTestData`. */
export interface SelfTestDataProto {
  samples?: { input?: string; expected?: string }[];
}

/** `ModelProto`: the content of a SentencePiece `.model` file. */
export interface ModelProto {
  pieces?: SentencePieceProto[];
  trainerSpec?: TrainerSpecProto;
  normalizerSpec?: NormalizerSpecProto;
  selfTestData?: SelfTestDataProto;
  denormalizerSpec?: NormalizerSpecProto;
}

/** Documented sentencepiece defaults of the TrainerSpec fields that have one. */
export const TRAINER_SPEC_DEFAULTS = {
  modelType: ModelType.UNIGRAM,
  vocabSize: 8000,
  selfTestSampleSize: 0,
  characterCoverage: 0.9995,
  inputSentenceSize: 0,
  shuffleInputSentence: true,
  seedSentencepieceSize: 1000000,
  shrinkingFactor: 0.75,
  maxSentenceLength: 4192,
  numThreads: 16,
  numSubIterations: 2,
  maxSentencepieceLength: 16,
  splitByUnicodeScript: true,
  splitByNumber: true,
  splitByWhitespace: true,
  treatWhitespaceAsSuffix: false,
  allowWhitespaceOnlyPieces: false,
  splitDigits: false,
  byteFallback: false,
  vocabularyOutputPieceScore: true,
  hardVocabLimit: true,
  useAllVocab: false,
  unkId: 0,
  bosId: 1,
  eosId: 2,
  padId: -1,
  unkPiece: '<unk>',
  bosPiece: '<s>',
  eosPiece: '</s>',
  padPiece: '<pad>',
  unkSurface: ' \u2047 ',
} as const;

let modelProtoType: protobuf.Type | undefined;

function modelType(): protobuf.Type {
  if (modelProtoType === undefined) {
    const root = protobuf.Root.fromJSON(sentencepieceDescriptor as unknown as protobuf.INamespace);
    modelProtoType = root.lookupType('sentencepiece.ModelProto');
  }
  return modelProtoType;
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: Number, arrays: true, defaults: false };

/**
 * Decodes the bytes of a SentencePiece `.model` file into a plain object. Only the protobuf wire format is
 * checked here (a truncated or corrupt buffer throws {@link TokenizerError}); whether the content is a usable
 * model is checked by {@link SentencePieceModel}.
 */
export function decodeModelProto(bytes: Uint8Array): ModelProto {
  if (!(bytes instanceof Uint8Array)) {
    throw new TokenizerError(`model bytes must be a Uint8Array, got ${typeof bytes}`);
  }
  const type = modelType();
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new TokenizerError(`not a valid SentencePiece model: protobuf decoding failed (${reason})`, { cause: err });
  }
  const obj = type.toObject(message, TO_OBJECT) as ModelProto;
  // Copy bytes out of the input buffer so that the model does not keep the caller's buffer alive.
  const copyBytes = (spec: NormalizerSpecProto | undefined): void => {
    if (spec?.precompiledCharsmap !== undefined) spec.precompiledCharsmap = Uint8Array.from(spec.precompiledCharsmap);
  };
  copyBytes(obj.normalizerSpec);
  copyBytes(obj.denormalizerSpec);
  return obj;
}

/**
 * Encodes a {@link ModelProto} into `.model` bytes. Fields are written in field-number order, as the C++
 * protobuf runtime does, so decoding then encoding a sentencepiece-written file gives the same bytes.
 */
export function encodeModelProto(model: ModelProto): Uint8Array {
  const type = modelType();
  const problem = type.verify(model);
  if (problem !== null) throw new TokenizerError(`invalid ModelProto: ${problem}`);
  const message = type.fromObject(model);
  return type.encode(message).finish();
}
