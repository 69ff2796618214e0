import { AlbertError, formatValue } from '@albert-ts/errors';

/**
 * A configuration value is invalid. The one-line message names the HF field, the value and the rule it breaks,
 * e.g. `config: hidden_size=100 must be divisible by num_attention_heads=12`.
 */
export class ConfigError extends AlbertError {
  override readonly name = 'ConfigError';
  declare readonly field: string;
  declare readonly value: unknown;

  /**
   * @param field HF config.json field name (snake_case), e.g. `hidden_size`.
   * @param value The offending value.
   * @param rule What the value must satisfy, e.g. `must be divisible by num_attention_heads=12`.
   */
  constructor(field: string, value: unknown, readonly rule: string, options?: { cause?: unknown }) {
    super(`config: ${field}=${formatValue(value)} ${rule}`, { field, value, cause: options?.cause });
  }
}

/**
 * A checkpoint file is missing, truncated, malformed or does not fit the model (bad safetensors header, unknown
 * dtype, missing or unexpected tensor, shape mismatch). The message is one line naming the file part at fault.
 */
export class CheckpointError extends AlbertError {
  override readonly name = 'CheckpointError';
}
