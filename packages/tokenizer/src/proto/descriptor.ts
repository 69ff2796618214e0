/**
 * The SentencePiece `ModelProto` schema (`src/sentencepiece_model.proto` of google/sentencepiece, proto2) as a
 * protobufjs JSON descriptor. Field numbers are exactly those of the upstream file; field names are camelCase.
 * Fields 50-54 of TrainerSpec were added by later sentencepiece releases and are optional.
 */
export const sentencepieceDescriptor = {
  nested: {
    sentencepiece: {
      nested: {
        TrainerSpec: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            inputFormat: { type: 'string', id: 7 },
            modelPrefix: { type: 'string', id: 2 },
            modelType: { type: 'ModelType', id: 3, options: { default: 'UNIGRAM' } },
            vocabSize: { type: 'int32', id: 4, options: { default: 8000 } },
            acceptLanguage: { rule: 'repeated', type: 'string', id: 5 },
            selfTestSampleSize: { type: 'int32', id: 6, options: { default: 0 } },
            enableDifferentialPrivacy: { type: 'bool', id: 50, options: { default: false } },
            differentialPrivacyNoiseLevel: { type: 'float', id: 51, options: { default: 0 } },
            differentialPrivacyClippingThreshold: { type: 'uint64', id: 52, options: { default: 0 } },
            characterCoverage: { type: 'float', id: 10, options: { default: 0.9995 } },
            inputSentenceSize: { type: 'uint64', id: 11, options: { default: 0 } },
            shuffleInputSentence: { type: 'bool', id: 19, options: { default: true } },
            miningSentenceSize: { type: 'int32', id: 12 },
            trainingSentenceSize: { type: 'int32', id: 13 },
            seedSentencepieceSize: { type: 'int32', id: 14, options: { default: 1000000 } },
            shrinkingFactor: { type: 'float', id: 15, options: { default: 0.75 } },
            maxSentenceLength: { type: 'int32', id: 18, options: { default: 4192 } },
            numThreads: { type: 'int32', id: 16, options: { default: 16 } },
            numSubIterations: { type: 'int32', id: 17, options: { default: 2 } },
            maxSentencepieceLength: { type: 'int32', id: 20, options: { default: 16 } },
            splitByUnicodeScript: { type: 'bool', id: 21, options: { default: true } },
            splitByNumber: { type: 'bool', id: 23, options: { default: true } },
            splitByWhitespace: { type: 'bool', id: 22, options: { default: true } },
            treatWhitespaceAsSuffix: { type: 'bool', id: 24, options: { default: false } },
            allowWhitespaceOnlyPieces: { type: 'bool', id: 26, options: { default: false } },
            splitDigits: { type: 'bool', id: 25, options: { default: false } },
            pretokenizationDelimiter: { type: 'string', id: 53, options: { default: '' } },
            controlSymbols: { rule: 'repeated', type: 'string', id: 30 },
            userDefinedSymbols: { rule: 'repeated', type: 'string', id: 31 },
            requiredChars: { type: 'string', id: 36 },
            byteFallback: { type: 'bool', id: 35, options: { default: false } },
            vocabularyOutputPieceScore: { type: 'bool', id: 32, options: { default: true } },
            hardVocabLimit: { type: 'bool', id: 33, options: { default: true } },
            useAllVocab: { type: 'bool', id: 34, options: { default: false } },
            unkId: { type: 'int32', id: 40, options: { default: 0 } },
            bosId: { type: 'int32', id: 41, options: { default: 1 } },
            eosId: { type: 'int32', id: 42, options: { default: 2 } },
            padId: { type: 'int32', id: 43, options: { default: -1 } },
            unkPiece: { type: 'string', id: 45, options: { default: '<unk>' } },
            bosPiece: { type: 'string', id: 46, options: { default: '<s>' } },
            eosPiece: { type: 'string', id: 47, options: { default: '</s>' } },
            padPiece: { type: 'string', id: 48, options: { default: '<pad>' } },
            unkSurface: { type: 'string', id: 44, options: { default: ' \u2047 ' } },
            trainExtremelyLargeCorpus: { type: 'bool', id: 49, options: { default: false } },
            seedSentencepiecesFile: { type: 'string', id: 54, options: { default: '' } },
          },
          nested: {
            ModelType: { values: { UNIGRAM: 1, BPE: 2, WORD: 3, CHAR: 4 } },
          },
        },
        NormalizerSpec: {
          fields: {
            name: { type: 'string', id: 1 },
            precompiledCharsmap: { type: 'bytes', id: 2 },
            addDummyPrefix: { type: 'bool', id: 3, options: { default: true } },
            removeExtraWhitespaces: { type: 'bool', id: 4, options: { default: true } },
            escapeWhitespaces: { type: 'bool', id: 5, options: { default: true } },
            normalizationRuleTsv: { type: 'string', id: 6 },
          },
        },
        SelfTestData: {
          fields: {
            samples: { rule: 'repeated', type: 'Sample', id: 1 },
          },
          nested: {
            Sample: {
              fields: {
                input: { type: 'string', id: 1 },
                expected: { type: 'string', id: 2 },
              },
            },
          },
        },
        ModelProto: {
          fields: {
            pieces: { rule: 'repeated', type: 'SentencePiece', id: 1 },
            trainerSpec: { type: 'TrainerSpec', id: 2 },
            normalizerSpec: { type: 'NormalizerSpec', id: 3 },
            selfTestData: { type: 'SelfTestData', id: 4 },
            denormalizerSpec: { type: 'NormalizerSpec', id: 5 },
          },
          nested: {
            SentencePiece: {
              fields: {
                piece: { type: 'string', id: 1 },
                score: { type: 'float', id: 2 },
                type: { type: 'Type', id: 3, options: { default: 'NORMAL' } },
              },
              nested: {
                Type: { values: { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, BYTE: 6, UNUSED: 5 } },
              },
            },
          },
        },
      },
    },
  },
} as const;
