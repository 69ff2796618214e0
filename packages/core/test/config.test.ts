import { describe, expect, it } from 'vitest';
import {
  type AlbertConfig, ConfigError, configFromHf, configToHf, HF_FIELD, presetConfig, PRESET_NAMES,
} from '../src/index.js';
import { readJsonFixture } from '@albert-ts/testing';

const fixtureConfig = (name: string) => readJsonFixture<{ config: Record<string, unknown> }>('hf-albert', `${name}.json`).config;

describe('configFromHf', () => {
  it('reads an HF config.json as is (all ALBERT fields, extra HF keys ignored)', () => {
    const json = fixtureConfig('tiny_groups');
    const c = configFromHf(json);
    expect(c).toMatchObject({
      vocabSize: 96, embeddingSize: 24, hiddenSize: 32, numHiddenLayers: 4, numHiddenGroups: 2, innerGroupNum: 1,
      numAttentionHeads: 2, intermediateSize: 48, hiddenAct: 'gelu_new', hiddenDropoutProb: 0,
      attentionProbsDropoutProb: 0, classifierDropoutProb: 0.1, maxPositionEmbeddings: 64, typeVocabSize: 2,
      initializerRange: 0.02, layerNormEps: 1e-12, padTokenId: 0, bosTokenId: 2, eosTokenId: 3,
    });
  });

  it('round-trips through configToHf', () => {
    const c = configFromHf(fixtureConfig('tiny_inner2'));
    const json = configToHf(c);
    expect(json['model_type']).toBe('albert');
    for (const [key, field] of Object.entries(HF_FIELD)) expect(json[field]).toBe(c[key as keyof AlbertConfig]);
    expect(configFromHf(json)).toEqual(c);
  });

  it('fills missing fields with HF AlbertConfig defaults', () => {
    const c = configFromHf({ vocab_size: 100, hidden_size: 64, num_attention_heads: 4, intermediate_size: 128 });
    expect(c.embeddingSize).toBe(128);
    expect(c.numHiddenLayers).toBe(12);
    expect(c.hiddenAct).toBe('gelu_new');
    expect(c.layerNormEps).toBe(1e-12);
  });

  it.each(['gelu', 'gelu_new', 'relu', 'silu'])('accepts hidden_act=%s', (act) => {
    expect(configFromHf({ ...fixtureConfig('tiny_shared'), hidden_act: act }).hiddenAct).toBe(act);
  });

  const hostile: Array<[string, Record<string, unknown>, RegExp]> = [
    ['heads not dividing H', { hidden_size: 30, num_attention_heads: 4 }, /hidden_size=30 must be divisible by num_attention_heads=4/],
    ['groups not dividing L', { num_hidden_layers: 3, num_hidden_groups: 2 }, /num_hidden_groups=2 must divide num_hidden_layers=3/],
    ['more groups than layers', { num_hidden_layers: 2, num_hidden_groups: 4 }, /num_hidden_groups=4/],
    ['zero layers', { num_hidden_layers: 0 }, /num_hidden_layers=0 must be a positive integer/],
    ['negative vocab', { vocab_size: -5 }, /vocab_size=-5/],
    ['fractional size', { hidden_size: 32.5 }, /hidden_size=32.5/],
    ['string size', { embedding_size: '16' }, /embedding_size="16"/],
    ['unknown activation', { hidden_act: 'swish2' }, /hidden_act="swish2" must be one of/],
    ['dropout of 1', { hidden_dropout_prob: 1 }, /hidden_dropout_prob=1/],
    ['negative dropout', { attention_probs_dropout_prob: -0.1 }, /attention_probs_dropout_prob=-0.1/],
    ['zero eps', { layer_norm_eps: 0 }, /layer_norm_eps=0/],
    ['NaN init range', { initializer_range: Number.NaN }, /initializer_range=NaN/],
    ['huge dimension', { hidden_size: 1e9, num_attention_heads: 1 }, /hidden_size=1000000000 must be at most/],
    ['huge model', { hidden_size: 65536, intermediate_size: 4194304, num_attention_heads: 1, num_hidden_layers: 12, num_hidden_groups: 12 }, /parameters/],
    ['pad id out of vocab', { pad_token_id: 96 }, /pad_token_id=96 must be < vocab_size=96/],
    ['zero inner groups', { inner_group_num: 0 }, /inner_group_num=0/],
    ['wrong model type', { model_type: 'gpt2' }, /model_type="gpt2"/],
  ];
  it.each(hostile)('rejects %s with a one-line ConfigError', (_label, patch, message) => {
    const json = { ...fixtureConfig('tiny_shared'), ...patch };
    let err: unknown;
    try {
      configFromHf(json);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toMatch(/\n/);
  });

  it.each([null, 3, 'x', [1, 2]])('rejects a non-object config %j', (json) => {
    expect(() => configFromHf(json)).toThrow(ConfigError);
  });
});

describe('presets', () => {
  it('has the paper sizes', () => {
    expect(presetConfig('albert-base')).toMatchObject({ hiddenSize: 768, numHiddenLayers: 12, embeddingSize: 128, numHiddenGroups: 1, intermediateSize: 3072 });
    expect(presetConfig('albert-large')).toMatchObject({ hiddenSize: 1024, numHiddenLayers: 24, intermediateSize: 4096 });
    expect(presetConfig('albert-xlarge')).toMatchObject({ hiddenSize: 2048, numHiddenLayers: 24, intermediateSize: 8192 });
    expect(presetConfig('albert-xxlarge')).toMatchObject({ hiddenSize: 4096, numHiddenLayers: 12, numAttentionHeads: 64, intermediateSize: 16384 });
    expect(presetConfig('bert-base')).toMatchObject({ hiddenSize: 768, embeddingSize: 768, numHiddenGroups: 12 });
    expect(presetConfig('bert-large')).toMatchObject({ hiddenSize: 1024, embeddingSize: 1024, numHiddenGroups: 24 });
    expect(presetConfig('albert-tiny')).toMatchObject({ hiddenSize: 128, numHiddenLayers: 4, embeddingSize: 64, numAttentionHeads: 2, intermediateSize: 512 });
    expect(presetConfig('albert-mini')).toMatchObject({ hiddenSize: 256, numHiddenLayers: 4, embeddingSize: 128, numAttentionHeads: 4, intermediateSize: 1024 });
    expect(PRESET_NAMES).toHaveLength(8);
  });

  it('applies and validates overrides', () => {
    expect(presetConfig('albert-tiny', { vocabSize: 500 }).vocabSize).toBe(500);
    expect(() => presetConfig('albert-tiny', { numAttentionHeads: 3 })).toThrow(/hidden_size=128 must be divisible by num_attention_heads=3/);
    expect(() => presetConfig('albert-huge')).toThrow(ConfigError);
  });
});
