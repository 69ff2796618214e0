import { ConfigError } from '../errors.js';
import { type AlbertConfig, HF_DEFAULTS, validateConfig } from './albert-config.js';

/** Names accepted by {@link presetConfig}. */
export type PresetName =
  | 'albert-base' | 'albert-large' | 'albert-xlarge' | 'albert-xxlarge'
  | 'bert-base' | 'bert-large'
  | 'albert-tiny' | 'albert-mini';

type Shape = Pick<AlbertConfig, 'hiddenSize' | 'numHiddenLayers' | 'numAttentionHeads' | 'intermediateSize'>;

// ALBERT v2 releases (HF hub config.json): V=30000, E=128, P=512, dropout 0, gelu_new, one shared group.
const albert = (s: Shape): AlbertConfig => ({ ...HF_DEFAULTS, ...s, embeddingSize: 128, numHiddenGroups: 1 });
// BERT as the ALBERT paper compares it (Table 1): E=H, no sharing (one group per layer), V=30000, gelu, dropout 0.1.
const bert = (s: Shape): AlbertConfig => ({
  ...HF_DEFAULTS, ...s, embeddingSize: s.hiddenSize, numHiddenGroups: s.numHiddenLayers, hiddenAct: 'gelu',
  hiddenDropoutProb: 0.1, attentionProbsDropoutProb: 0.1,
});

/** Preset configurations (paper Table 1 sizes; HF hub shapes for ALBERT). */
export const PRESETS: Readonly<Record<PresetName, AlbertConfig>> = {
  'albert-base': albert({ hiddenSize: 768, numHiddenLayers: 12, numAttentionHeads: 12, intermediateSize: 3072 }),
  'albert-large': albert({ hiddenSize: 1024, numHiddenLayers: 24, numAttentionHeads: 16, intermediateSize: 4096 }),
  'albert-xlarge': albert({ hiddenSize: 2048, numHiddenLayers: 24, numAttentionHeads: 16, intermediateSize: 8192 }),
  'albert-xxlarge': albert({ hiddenSize: 4096, numHiddenLayers: 12, numAttentionHeads: 64, intermediateSize: 16384 }),
  'bert-base': bert({ hiddenSize: 768, numHiddenLayers: 12, numAttentionHeads: 12, intermediateSize: 3072 }),
  'bert-large': bert({ hiddenSize: 1024, numHiddenLayers: 24, numAttentionHeads: 16, intermediateSize: 4096 }),
  // Small models for CPU/wasm experiments; vocabSize is normally overridden by the tokenizer's size.
  'albert-tiny': {
    ...HF_DEFAULTS, vocabSize: 2000, embeddingSize: 64, hiddenSize: 128, numHiddenLayers: 4, numAttentionHeads: 2,
    intermediateSize: 512, numHiddenGroups: 1,
  },
  'albert-mini': {
    ...HF_DEFAULTS, vocabSize: 2000, embeddingSize: 128, hiddenSize: 256, numHiddenLayers: 4, numAttentionHeads: 4,
    intermediateSize: 1024, numHiddenGroups: 1,
  },
};

/** Names of all presets. */
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** True when `name` is a preset name. */
export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}

/**
 * A preset config with optional camelCase overrides, validated. Throws {@link ConfigError} for an unknown name or
 * an invalid override.
 */
export function presetConfig(name: string, overrides: Partial<AlbertConfig> = {}): AlbertConfig {
  if (!isPresetName(name)) {
    throw new ConfigError('preset', name, `must be one of ${PRESET_NAMES.join(', ')}`);
  }
  return validateConfig({ ...PRESETS[name], ...overrides });
}
