// `--config`-style config references (Node only): a preset name or the path of a HF config.json.
import fs from 'node:fs';
import { type AlbertConfig, configFromHf, withOverrides } from '../config/albert-config.js';
import { PRESET_NAMES, isPresetName, presetConfig } from '../config/presets.js';
import { ConfigError } from '../errors.js';
import { parseHfConfigJson } from '../checkpoint/hf-files.js';
import { readFileChecked } from './hf-directory.js';

/**
 * A validated config from a preset name (`albert-base`, `albert-tiny`, ...) or the path of a HF `config.json`,
 * with camelCase `overrides` applied (e.g. `{ vocabSize }` from the tokenizer). Throws {@link ConfigError} for an
 * unknown name or a bad value, `CheckpointError` for an unreadable file.
 */
export function loadConfig(spec: string, overrides: Partial<AlbertConfig> = {}): AlbertConfig {
  if (isPresetName(spec)) return presetConfig(spec, overrides);
  if (!fs.existsSync(spec)) {
    throw new ConfigError('config', spec, `is neither a preset (${PRESET_NAMES.join(', ')}) nor an existing config.json file`);
  }
  return withOverrides(configFromHf(parseHfConfigJson(readFileChecked(spec, 'config'), spec)), overrides);
}
