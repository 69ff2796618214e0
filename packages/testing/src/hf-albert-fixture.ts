import fs from 'node:fs';
import { fixturePath, readBinaryFixture } from './paths.js';
import type { Nested } from './tensors.js';

/** The JSON half of a `../shared/fixtures/hf-albert/NAME` fixture (see its README). */
export interface HfAlbertFixture {
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly param_count: number;
  readonly param_count_albert_model: number;
  readonly state_dict_keys: string[];
  readonly tied_weights: Record<string, string>;
  readonly inputs: { input_ids: number[][]; token_type_ids: number[][]; attention_mask: number[][] };
  readonly labels: { labels: number[][]; sentence_order_label: number[] };
  readonly outputs: {
    last_hidden_state: Nested; pooler_output: Nested; hidden_states: Nested[]; prediction_logits: Nested;
    sop_logits: Nested; loss: number; mlm_loss: number; sop_loss: number;
  };
  readonly debug: { embedding_output: Nested; layer_applications: Nested[]; attentions: Nested[] };
  readonly gradients: Record<string, { shape: number[]; values: Nested }>;
  readonly grad_l2_norms: Record<string, number>;
  /** Raw bytes of NAME.safetensors. */
  readonly safetensors: Uint8Array;
}

/** Names of the fixtures present under `hf-albert/` (every `*.json` with a `.safetensors` beside it). */
export const HF_ALBERT_FIXTURES: string[] = fs.existsSync(fixturePath('hf-albert'))
  ? fs.readdirSync(fixturePath('hf-albert'))
    .filter((f) => f.endsWith('.json') && fs.existsSync(fixturePath('hf-albert', f.replace(/\.json$/, '.safetensors'))))
    .map((f) => f.replace(/\.json$/, ''))
    .sort()
  : [];

/** Reads one hf-albert fixture (JSON + safetensors bytes). */
export function readHfAlbertFixture(name: string): HfAlbertFixture {
  const json = JSON.parse(fs.readFileSync(fixturePath('hf-albert', `${name}.json`), 'utf8')) as Omit<HfAlbertFixture, 'safetensors'>;
  return { ...json, name, safetensors: readBinaryFixture('hf-albert', `${name}.safetensors`) };
}

/**
 * The fixture's inputs and labels as plain arrays in our batch form: HF labels (-100 = ignored) become sparse MLM
 * targets at every position (`mlmPositions` = 0..T-1, `mlmWeights` = label ≠ -100, ignored ids replaced by 0).
 */
export function hfFixtureBatchArrays(f: HfAlbertFixture): {
  inputIds: number[][]; tokenTypeIds: number[][]; attentionMask: number[][]; mlmPositions: number[][];
  mlmIds: number[][]; mlmWeights: number[][]; sentenceLabel: number[];
} {
  const labels = f.labels.labels;
  return {
    inputIds: f.inputs.input_ids,
    tokenTypeIds: f.inputs.token_type_ids,
    attentionMask: f.inputs.attention_mask,
    mlmPositions: labels.map((row) => row.map((_, i) => i)),
    mlmIds: labels.map((row) => row.map((v) => (v === -100 ? 0 : v))),
    mlmWeights: labels.map((row) => row.map((v) => (v === -100 ? 0 : 1))),
    sentenceLabel: f.labels.sentence_order_label,
  };
}
