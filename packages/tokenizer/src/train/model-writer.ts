import { ModelType, PieceType, type ModelProto, type NormalizerSpecProto, type TrainerSpecProto } from '../proto/index.js';
import type { MetaPiece } from './meta-pieces.js';
import type { ResolvedTrainerOptions } from './options.js';

/**
 * Assembles the `ModelProto` SentencePiece's `TrainerInterface::Serialize` writes: meta pieces at their ids (score
 * 0), the trained pieces in order in the remaining ids, the full trainer spec and the normalizer spec with its
 * precompiled charsmap.
 */
export function buildModelProto(
  o: ResolvedTrainerOptions,
  meta: readonly MetaPiece[],
  pieces: ReadonlyArray<readonly [string, number]>,
  normalizerSpec: NormalizerSpecProto,
): ModelProto {
  const out: ModelProto['pieces'] = [];
  const byId = new Map(meta.map((m) => [m.id, m]));
  let next = 0;
  const total = meta.length + pieces.length;
  for (let id = 0; id < total; id++) {
    const m = byId.get(id);
    if (m !== undefined) out.push({ piece: m.piece, score: 0, type: m.type });
    else {
      const [piece, score] = pieces[next++]!;
      out.push({ piece, score, type: PieceType.NORMAL });
    }
  }
  return { pieces: out, trainerSpec: trainerSpec(o, out.length), normalizerSpec };
}

function trainerSpec(o: ResolvedTrainerOptions, vocabSize: number): TrainerSpecProto {
  return {
    input: [...o.inputNames],
    modelPrefix: '',
    modelType: o.modelType === 'bpe' ? ModelType.BPE : ModelType.UNIGRAM,
    vocabSize,
    selfTestSampleSize: 0,
    inputFormat: '',
    characterCoverage: o.characterCoverage,
    inputSentenceSize: o.inputSentenceSize,
    seedSentencepieceSize: o.seedSentencepieceSize,
    shrinkingFactor: o.shrinkingFactor,
    numThreads: 1,
    numSubIterations: o.numSubIterations,
    maxSentenceLength: o.maxSentenceLength,
    shuffleInputSentence: false,
    maxSentencepieceLength: o.maxSentencepieceLength,
    splitByUnicodeScript: o.splitByUnicodeScript,
    splitByWhitespace: o.splitByWhitespace,
    splitByNumber: o.splitByNumber,
    treatWhitespaceAsSuffix: false,
    splitDigits: false,
    allowWhitespaceOnlyPieces: false,
    controlSymbols: [...o.controlSymbols],
    userDefinedSymbols: [...o.userDefinedSymbols],
    vocabularyOutputPieceScore: true,
    hardVocabLimit: true,
    useAllVocab: false,
    byteFallback: false,
    requiredChars: '',
    unkId: o.unkId,
    bosId: o.bosId,
    eosId: o.eosId,
    padId: o.padId,
    unkSurface: ' \u2047 ',
    unkPiece: '<unk>',
    bosPiece: '<s>',
    eosPiece: '</s>',
    padPiece: '<pad>',
    trainExtremelyLargeCorpus: false,
  };
}
