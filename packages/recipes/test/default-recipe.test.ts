import { describe, expect, it } from 'vitest';
import { presetConfig } from '@albert-ts/core';
import { SMALL_MODEL_MAX_HIDDEN_SIZE, defaultPretrainRecipe } from '../src/index.js';

describe('defaultPretrainRecipe', () => {
  it('gives small models the swept AdamW rate and larger ones the paper LAMB rate', () => {
    expect(defaultPretrainRecipe(presetConfig('albert-tiny'))).toEqual({ optimizer: 'adamw', learningRate: 2e-3 });
    expect(defaultPretrainRecipe(presetConfig('albert-mini'))).toEqual({ optimizer: 'adamw', learningRate: 2e-3 });
    expect(defaultPretrainRecipe({ hiddenSize: SMALL_MODEL_MAX_HIDDEN_SIZE + 1 })).toEqual({ optimizer: 'lamb', learningRate: 0.00176 });
    expect(defaultPretrainRecipe(presetConfig('albert-base'))).toEqual({ optimizer: 'lamb', learningRate: 0.00176 });
  });
});
