import { ConfigError } from '../errors.js';

/**
 * Activation names accepted in `hidden_act`: HF `ACT2FN` keys with their HF semantics. ALBERT checkpoints use
 * `gelu_new` (v2) or `gelu` (v1); the rest are for experiments and held-out configs.
 */
export type HiddenAct =
  | 'gelu' | 'gelu_new' | 'relu' | 'silu'
  | 'gelu_python' | 'gelu_pytorch_tanh' | 'gelu_fast' | 'gelu_accurate' | 'quick_gelu'
  | 'swish' | 'mish' | 'relu6' | 'relu2' | 'leaky_relu' | 'tanh' | 'sigmoid' | 'linear';

/** The activations this implementation supports. */
export const HIDDEN_ACTS: readonly HiddenAct[] = [
  'gelu', 'gelu_new', 'relu', 'silu', 'gelu_python', 'gelu_pytorch_tanh', 'gelu_fast', 'gelu_accurate', 'quick_gelu',
  'swish', 'mish', 'relu6', 'relu2', 'leaky_relu', 'tanh', 'sigmoid', 'linear',
];

/**
 * ALBERT model configuration: the camelCase form of HuggingFace `config.json` (`AlbertConfig.to_dict()`).
 * Build one with {@link configFromHf} (validating) or {@link presetConfig}.
 */
export interface AlbertConfig {
  /** `vocab_size`: V, rows of the word-embedding matrix. */
  readonly vocabSize: number;
  /** `embedding_size`: E, width of the factorized embeddings. */
  readonly embeddingSize: number;
  /** `hidden_size`: H. */
  readonly hiddenSize: number;
  /** `num_hidden_layers`: L, number of layer applications. */
  readonly numHiddenLayers: number;
  /** `num_hidden_groups`: G, distinct layer groups (HF sharing); must divide L. */
  readonly numHiddenGroups: number;
  /** `inner_group_num`: AlbertLayers run in sequence inside each group application. */
  readonly innerGroupNum: number;
  /** `num_attention_heads`: must divide H. */
  readonly numAttentionHeads: number;
  /** `intermediate_size`: FFN width I. */
  readonly intermediateSize: number;
  /** `hidden_act`: FFN and MLM-head activation. */
  readonly hiddenAct: HiddenAct;
  /** `hidden_dropout_prob`: embeddings and attention-output dropout. */
  readonly hiddenDropoutProb: number;
  /** `attention_probs_dropout_prob`: dropout on attention probabilities. */
  readonly attentionProbsDropoutProb: number;
  /** `classifier_dropout_prob`: dropout before the SOP / classifier heads. */
  readonly classifierDropoutProb: number;
  /** `max_position_embeddings`: P. */
  readonly maxPositionEmbeddings: number;
  /** `type_vocab_size`: token-type (segment) vocabulary. */
  readonly typeVocabSize: number;
  /** `initializer_range`: std of the truncated-normal initializer. */
  readonly initializerRange: number;
  /** `layer_norm_eps`. */
  readonly layerNormEps: number;
  /** `pad_token_id`. */
  readonly padTokenId: number;
  /** `bos_token_id`. */
  readonly bosTokenId: number;
  /** `eos_token_id`. */
  readonly eosTokenId: number;
}

/** HF (snake_case) field name of every config key, in HF's `to_dict()` order. */
export const HF_FIELD: Readonly<Record<keyof AlbertConfig, string>> = {
  vocabSize: 'vocab_size',
  embeddingSize: 'embedding_size',
  hiddenSize: 'hidden_size',
  numHiddenLayers: 'num_hidden_layers',
  numHiddenGroups: 'num_hidden_groups',
  numAttentionHeads: 'num_attention_heads',
  intermediateSize: 'intermediate_size',
  innerGroupNum: 'inner_group_num',
  hiddenAct: 'hidden_act',
  hiddenDropoutProb: 'hidden_dropout_prob',
  attentionProbsDropoutProb: 'attention_probs_dropout_prob',
  maxPositionEmbeddings: 'max_position_embeddings',
  typeVocabSize: 'type_vocab_size',
  initializerRange: 'initializer_range',
  layerNormEps: 'layer_norm_eps',
  classifierDropoutProb: 'classifier_dropout_prob',
  padTokenId: 'pad_token_id',
  bosTokenId: 'bos_token_id',
  eosTokenId: 'eos_token_id',
};

/**
 * HF `AlbertConfig()` defaults (transformers v4.36.2, i.e. albert-xxlarge shapes). Used for fields a config.json
 * omits, exactly as `AlbertConfig.from_pretrained` does.
 */
export const HF_DEFAULTS: AlbertConfig = {
  vocabSize: 30000,
  embeddingSize: 128,
  hiddenSize: 4096,
  numHiddenLayers: 12,
  numHiddenGroups: 1,
  numAttentionHeads: 64,
  intermediateSize: 16384,
  innerGroupNum: 1,
  hiddenAct: 'gelu_new',
  hiddenDropoutProb: 0,
  attentionProbsDropoutProb: 0,
  maxPositionEmbeddings: 512,
  typeVocabSize: 2,
  initializerRange: 0.02,
  layerNormEps: 1e-12,
  classifierDropoutProb: 0.1,
  padTokenId: 0,
  bosTokenId: 2,
  eosTokenId: 3,
};

const INT_FIELDS: ReadonlyArray<keyof AlbertConfig> = [
  'vocabSize', 'embeddingSize', 'hiddenSize', 'numHiddenLayers', 'numHiddenGroups', 'innerGroupNum',
  'numAttentionHeads', 'intermediateSize', 'maxPositionEmbeddings', 'typeVocabSize',
];
const PROB_FIELDS: ReadonlyArray<keyof AlbertConfig> = [
  'hiddenDropoutProb', 'attentionProbsDropoutProb', 'classifierDropoutProb',
];
const TOKEN_FIELDS: ReadonlyArray<keyof AlbertConfig> = ['padTokenId', 'bosTokenId', 'eosTokenId'];

/**
 * Upper bound on any single dimension; keeps a hostile config from asking for a multi-GB allocation before a
 * tensor is created. 2^22 (4M) exceeds every real ALBERT/BERT size by far.
 */
export const MAX_DIMENSION = 1 << 22;

/**
 * Upper bound on the parameter count a config may describe (2^31 floats = 8 GiB); anything larger is refused.
 */
export const MAX_PARAMETERS = 2 ** 31;

/**
 * Validates a complete config, throwing {@link ConfigError} (naming the HF field, value and rule) on the first
 * violation. Returns the same object.
 */
export function validateConfig(config: AlbertConfig): AlbertConfig {
  for (const key of INT_FIELDS) {
    const v = config[key] as unknown;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new ConfigError(HF_FIELD[key], v, 'must be a positive integer');
    }
    if (v > MAX_DIMENSION) throw new ConfigError(HF_FIELD[key], v, `must be at most ${MAX_DIMENSION}`);
  }
  for (const key of PROB_FIELDS) {
    const v = config[key] as unknown;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v >= 1) {
      throw new ConfigError(HF_FIELD[key], v, 'must be a number in [0, 1)');
    }
  }
  for (const key of TOKEN_FIELDS) {
    const v = config[key] as unknown;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new ConfigError(HF_FIELD[key], v, 'must be a non-negative integer');
    }
  }
  const { initializerRange, layerNormEps, hiddenAct } = config;
  if (typeof initializerRange !== 'number' || !Number.isFinite(initializerRange) || initializerRange <= 0) {
    throw new ConfigError('initializer_range', initializerRange, 'must be a finite number > 0');
  }
  if (typeof layerNormEps !== 'number' || !Number.isFinite(layerNormEps) || layerNormEps <= 0 || layerNormEps >= 1) {
    throw new ConfigError('layer_norm_eps', layerNormEps, 'must be a number in (0, 1)');
  }
  if (!HIDDEN_ACTS.includes(hiddenAct)) {
    throw new ConfigError('hidden_act', hiddenAct, `must be one of ${HIDDEN_ACTS.join(', ')}`);
  }
  if (config.hiddenSize % config.numAttentionHeads !== 0) {
    throw new ConfigError('hidden_size', config.hiddenSize,
      `must be divisible by num_attention_heads=${config.numAttentionHeads}`);
  }
  if (config.numHiddenGroups > config.numHiddenLayers) {
    throw new ConfigError('num_hidden_groups', config.numHiddenGroups,
      `must be at most num_hidden_layers=${config.numHiddenLayers}`);
  }
  if (config.numHiddenLayers % config.numHiddenGroups !== 0) {
    throw new ConfigError('num_hidden_groups', config.numHiddenGroups,
      `must divide num_hidden_layers=${config.numHiddenLayers}`);
  }
  for (const key of TOKEN_FIELDS) {
    if ((config[key] as number) >= config.vocabSize) {
      throw new ConfigError(HF_FIELD[key], config[key], `must be < vocab_size=${config.vocabSize}`);
    }
  }
  // Rough upper bound on the parameter count (not-shared, every group materialized) to refuse absurd configs.
  const { vocabSize: V, embeddingSize: E, hiddenSize: H, intermediateSize: I } = config;
  const perLayer = 4 * H * H + 2 * H * I;
  const rough = (V + config.maxPositionEmbeddings + config.typeVocabSize) * E + E * H
    + config.numHiddenGroups * config.innerGroupNum * perLayer + H * H;
  if (rough > MAX_PARAMETERS) {
    throw new ConfigError('hidden_size', H,
      `gives about ${rough.toExponential(2)} parameters with these sizes; the limit is ${MAX_PARAMETERS}`);
  }
  return config;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Reads a HuggingFace `config.json` object as is (snake_case keys; unknown keys ignored, missing keys take HF's
 * `AlbertConfig` defaults) and validates it. Throws {@link ConfigError} naming the field, value and rule; a
 * `position_embedding_type` other than `absolute` (HF's relative_key variants) is refused by name.
 */
export function configFromHf(json: unknown): AlbertConfig {
  if (!isRecord(json)) throw new ConfigError('config', json, 'must be a JSON object');
  if (json['model_type'] !== undefined && json['model_type'] !== 'albert') {
    throw new ConfigError('model_type', json['model_type'], 'must be "albert"');
  }
  const positions = json['position_embedding_type'];
  if (positions !== undefined && positions !== null && positions !== 'absolute') {
    throw new ConfigError('position_embedding_type', positions,
      'is not supported: albert-ts implements only "absolute" position embeddings (HF\'s default)');
  }
  const out: Record<string, unknown> = { ...HF_DEFAULTS };
  for (const [key, field] of Object.entries(HF_FIELD) as Array<[keyof AlbertConfig, string]>) {
    if (json[field] !== undefined && json[field] !== null) out[key] = json[field];
  }
  return validateConfig(out as unknown as AlbertConfig);
}

/** Converts to the HF `config.json` form (snake_case, `model_type: "albert"`, `architectures`). */
export function configToHf(config: AlbertConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { architectures: ['AlbertForPreTraining'], model_type: 'albert' };
  for (const [key, field] of Object.entries(HF_FIELD) as Array<[keyof AlbertConfig, string]>) {
    out[field] = config[key];
  }
  out['position_embedding_type'] = 'absolute';
  return out;
}

/** Returns a validated copy of `config` with `overrides` applied (camelCase keys). */
export function withOverrides(config: AlbertConfig, overrides: Partial<AlbertConfig> = {}): AlbertConfig {
  return validateConfig({ ...config, ...overrides });
}
