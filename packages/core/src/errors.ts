/** Collapses a message onto one line: user-facing errors are printed as a single line. */
function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ');
}

/**
 * A configuration value is invalid. The one-line message names the HF field, the value and the rule it breaks,
 * e.g. `config: hidden_size=100 must be divisible by num_attention_heads=12`.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  /**
   * @param field HF config.json field name (snake_case), e.g. `hidden_size`.
   * @param value The offending value.
   * @param rule What the value must satisfy, e.g. `must be divisible by num_attention_heads=12`.
   */
  constructor(readonly field: string, readonly value: unknown, readonly rule: string, options?: { cause?: unknown }) {
    super(oneLine(`config: ${field}=${formatValue(value)} ${rule}`), options);
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return String(value);
  }
}

/**
 * A checkpoint file is missing, truncated, malformed or does not fit the model (bad safetensors header, unknown
 * dtype, missing or unexpected tensor, shape mismatch). The message is one line naming the file part at fault.
 */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(oneLine(message), options);
  }
}
