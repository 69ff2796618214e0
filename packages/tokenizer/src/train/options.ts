import { TokenizerError } from '../errors.js';

/** Which model `trainSentencePiece` builds. */
export type TrainerModelType = 'unigram' | 'bpe';

/** A progress report from the trainer (for a progress display; the trainer itself never prints). */
export interface TrainerProgress {
  /** `load`: sentences normalized; `seed`: seed pieces built; `em`: one EM sub-iteration; `prune`: pieces pruned;
   * `merge`: BPE merges so far; `done`: final vocabulary built. */
  readonly phase: 'load' | 'seed' | 'em' | 'prune' | 'merge' | 'done';
  /** One human-readable line, e.g. `EM sub_iter=1 size=22764 obj=8.2887`. */
  readonly message: string;
  /** Current number of pieces (unigram) or merges done (BPE), when meaningful. */
  readonly size?: number;
  /** Rough completion in [0, 1]. */
  readonly fraction: number;
}

/**
 * Options of {@link trainSentencePiece}, named after `spm_train` flags (camelCase). Every default equals ALBERT's
 * `spm_train` invocation (google-research/albert README): pad 0, unk 1, no bos/eos, control symbols
 * `[CLS] [SEP] [MASK]`, user-defined symbols `( ) " - . – £ €`, character coverage 0.99995, nmt_nfkc normalization.
 * The remaining defaults are SentencePiece's own.
 */
export interface TrainerOptions {
  /** Final vocabulary size, meta pieces included (`--vocab_size`). Required. */
  vocabSize: number;
  /** `--model_type`, default `unigram`. */
  modelType?: TrainerModelType;
  /** `--character_coverage`, in [0.98, 1]; default 0.99995. */
  characterCoverage?: number;
  /** `--max_sentencepiece_length` in code points, in [1, 512]; default 16. */
  maxSentencepieceLength?: number;
  /** `--max_sentence_length` in UTF-8 bytes; longer lines are skipped. Default 4192. */
  maxSentenceLength?: number;
  /** `--input_sentence_size`: at most this many lines are used (the first ones); 0 = all. Default 10,000,000. */
  inputSentenceSize?: number;
  /** `--seed_sentencepiece_size`, default 1,000,000. */
  seedSentencepieceSize?: number;
  /** `--shrinking_factor`, in [0.5, 0.95]; default 0.75. */
  shrinkingFactor?: number;
  /** `--num_sub_iterations`, in [1, 10]; default 2. */
  numSubIterations?: number;
  /** `--split_by_unicode_script`, default true. */
  splitByUnicodeScript?: boolean;
  /** `--split_by_number`, default true. */
  splitByNumber?: boolean;
  /** `--split_by_whitespace`, default true. */
  splitByWhitespace?: boolean;
  /** `--unk_id`, default 1 (must be >= 0). */
  unkId?: number;
  /** `--pad_id`, default 0 (-1 disables). */
  padId?: number;
  /** `--bos_id`, default -1 (disabled). */
  bosId?: number;
  /** `--eos_id`, default -1 (disabled). */
  eosId?: number;
  /** `--control_symbols`, default `['[CLS]', '[SEP]', '[MASK]']`. */
  controlSymbols?: readonly string[];
  /** `--user_defined_symbols`, default `['(', ')', '"', '-', '.', '–', '£', '€']`. */
  userDefinedSymbols?: readonly string[];
  /** Normalization rule: `nmt_nfkc` (default, the built-in precompiled charsmap) or `identity`. */
  normalizationRuleName?: 'nmt_nfkc' | 'identity';
  /** `--add_dummy_prefix`, default true. */
  addDummyPrefix?: boolean;
  /** `--remove_extra_whitespaces`, default true. */
  removeExtraWhitespaces?: boolean;
  /** Recorded as `trainer_spec.input` / `model_prefix` in the written model (informational only). */
  inputNames?: readonly string[];
  /** Progress callback. */
  onProgress?: (progress: TrainerProgress) => void;
}

/** Options with every default filled in. */
export type ResolvedTrainerOptions = Required<Omit<TrainerOptions, 'onProgress'>> & Pick<TrainerOptions, 'onProgress'>;

/** ALBERT's `spm_train` flags as {@link TrainerOptions} defaults. */
export const ALBERT_TRAINER_DEFAULTS = {
  modelType: 'unigram',
  characterCoverage: 0.99995,
  maxSentencepieceLength: 16,
  maxSentenceLength: 4192,
  inputSentenceSize: 10_000_000,
  seedSentencepieceSize: 1_000_000,
  shrinkingFactor: 0.75,
  numSubIterations: 2,
  splitByUnicodeScript: true,
  splitByNumber: true,
  splitByWhitespace: true,
  unkId: 1,
  padId: 0,
  bosId: -1,
  eosId: -1,
  controlSymbols: ['[CLS]', '[SEP]', '[MASK]'],
  userDefinedSymbols: ['(', ')', '"', '-', '.', '\u2013', '\u00a3', '\u20ac'],
  normalizationRuleName: 'nmt_nfkc',
  addDummyPrefix: true,
  removeExtraWhitespaces: true,
  inputNames: [],
} as const satisfies Omit<ResolvedTrainerOptions, 'vocabSize' | 'onProgress'>;

function checkInt(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TokenizerError(`trainer option ${field} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

function checkRange(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new TokenizerError(`trainer option ${field} must be a number in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

function checkBool(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TokenizerError(`trainer option ${field} must be a boolean, got ${String(value)}`);
  return value;
}

function checkSymbols(field: string, value: unknown): readonly string[] {
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string' && s.length > 0)) {
    throw new TokenizerError(`trainer option ${field} must be an array of non-empty strings`);
  }
  for (const s of value as string[]) {
    if (/[\uD800-\uDFFF]/u.test(s)) {
      throw new TokenizerError(`trainer option ${field} contains an unpaired surrogate: ${JSON.stringify(s)}`);
    }
  }
  return value as string[];
}

/** Fills in defaults and validates every field (one-line {@link TokenizerError} naming field and value). */
export function resolveTrainerOptions(options: TrainerOptions): ResolvedTrainerOptions {
  if (options === null || typeof options !== 'object') throw new TokenizerError('trainer options must be an object');
  const o = { ...ALBERT_TRAINER_DEFAULTS, ...stripUndefined(options) } as ResolvedTrainerOptions;
  checkInt('vocabSize', o.vocabSize, 1, 1 << 24);
  if (o.modelType !== 'unigram' && o.modelType !== 'bpe') {
    throw new TokenizerError(`trainer option modelType must be 'unigram' or 'bpe', got ${String(o.modelType)}`);
  }
  checkRange('characterCoverage', o.characterCoverage, 0.98, 1);
  checkInt('maxSentencepieceLength', o.maxSentencepieceLength, 1, 512);
  checkInt('maxSentenceLength', o.maxSentenceLength, 10, 1 << 30);
  checkInt('inputSentenceSize', o.inputSentenceSize, 0, Number.MAX_SAFE_INTEGER);
  checkInt('seedSentencepieceSize', o.seedSentencepieceSize, 1000, 5_000_000);
  checkRange('shrinkingFactor', o.shrinkingFactor, 0.5, 0.95);
  checkInt('numSubIterations', o.numSubIterations, 1, 10);
  for (const f of ['splitByUnicodeScript', 'splitByNumber', 'splitByWhitespace', 'addDummyPrefix', 'removeExtraWhitespaces'] as const) {
    checkBool(f, o[f]);
  }
  checkInt('unkId', o.unkId, 0, o.vocabSize - 1);
  for (const f of ['padId', 'bosId', 'eosId'] as const) checkInt(f, o[f], -1, o.vocabSize - 1);
  checkSymbols('controlSymbols', o.controlSymbols);
  checkSymbols('userDefinedSymbols', o.userDefinedSymbols);
  if (o.normalizationRuleName !== 'nmt_nfkc' && o.normalizationRuleName !== 'identity') {
    throw new TokenizerError(`trainer option normalizationRuleName must be 'nmt_nfkc' or 'identity', got ${String(o.normalizationRuleName)}`);
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw new TokenizerError('trainer option onProgress must be a function');
  }
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
