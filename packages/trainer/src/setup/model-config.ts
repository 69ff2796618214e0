import fs from 'node:fs';
import { type AlbertConfig, configFromHf, isPresetName, presetConfig, validateConfig } from '@albert-ts/core';
import { TrainerError } from '../errors.js';

/**
 * A model config from a preset name (`albert-tiny`, `albert-base`, ...) or a path to an HF `config.json`, with
 * camelCase overrides (e.g. `embeddingSize`, `vocabSize` from the tokenizer) applied and validated.
 */
export function resolveModelConfig(spec: string | AlbertConfig, overrides: Partial<AlbertConfig> = {}): AlbertConfig {
  if (typeof spec !== 'string') return validateConfig({ ...spec, ...overrides });
  if (isPresetName(spec)) return presetConfig(spec, overrides);
  if (!fs.existsSync(spec)) {
    throw new TrainerError(`config: '${spec}' is neither a preset name nor an existing config.json file`);
  }
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(spec, 'utf8'));
  } catch (e) {
    throw new TrainerError(`config: ${spec} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  return validateConfig({ ...configFromHf(json), ...overrides });
}
