// HF checkpoint IO: save → load round trips, HF layout compatibility, sharing HF cannot express, hostile inputs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  AlbertForPreTraining, AlbertModel, CheckpointError, ConfigError, createPretrainingModel, type HfTensor, hfModelFiles,
  modelFromHf, modelFromHfFiles, presetConfig, readSafetensors, SHARING_KEY, toHfCheckpoint,
} from '@albert-ts/core';
import { loadHfModel, saveHfModel } from '@albert-ts/core/node';
import { factorized } from '@albert-ts/embeddings';
import { notShared, sharedAttention, sharedFfn } from '@albert-ts/sharing';
import { type HfAlbertFixture, expectNoLeaks, maxAbsDiff, readHfAlbertFixture, useTestBackend } from '@albert-ts/testing';
import { mlm, sop } from '../src/index.js';

let tmp: string;
beforeAll(async () => {
  await useTestBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-hf-io-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const objectives = () => [mlm(), sop()];
const bitsEqual = (a: Float32Array, b: Float32Array) =>
  a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

function inputsOf(f: HfAlbertFixture) {
  return {
    inputIds: tf.tensor2d(f.inputs.input_ids, undefined, 'int32'),
    tokenTypeIds: tf.tensor2d(f.inputs.token_type_ids, undefined, 'int32'),
    attentionMask: tf.tensor2d(f.inputs.attention_mask, undefined, 'int32'),
  };
}

function expectSameParameters(a: Map<string, tf.Variable>, b: Map<string, tf.Variable>): void {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [name, v] of a) expect(bitsEqual(v.dataSync() as Float32Array, b.get(name)!.dataSync() as Float32Array), name).toBe(true);
}

describe('HF directory save/load', () => {
  it('saves a fixture model back to the exact fixture tensors (AlbertForPreTraining names, tied duplicates)', () => {
    const f = readHfAlbertFixture('tiny_groups');
    const original = readSafetensors(f.safetensors);
    const model = modelFromHf(f.config, original, { embeddings: factorized(), objectives: objectives() });
    const dir = path.join(tmp, 'groups');
    saveHfModel(dir, model);
    const saved = readSafetensors(new Uint8Array(fs.readFileSync(path.join(dir, 'model.safetensors'))));
    expect([...saved.keys()].sort()).toEqual([...f.state_dict_keys].sort());
    for (const [name, t] of original) {
      expect(saved.get(name)!.shape, name).toEqual(t.shape);
      expect(bitsEqual(saved.get(name)!.data, t.data), name).toBe(true);
    }
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    for (const key of ['vocab_size', 'embedding_size', 'hidden_size', 'num_hidden_layers', 'num_hidden_groups', 'inner_group_num',
      'num_attention_heads', 'intermediate_size', 'hidden_act', 'layer_norm_eps', 'max_position_embeddings', 'type_vocab_size']) {
      expect(config[key], key).toBe(f.config[key]);
    }
    expect(config.model_type).toBe('albert');
    expect(config[SHARING_KEY]).toBeUndefined();
    // Round trip: bit-exact parameters.
    const back = loadHfModel(dir, { embeddings: factorized(), objectives: objectives() });
    expectSameParameters(model.namedParameters(), back.namedParameters());
    model.dispose();
    back.dispose();
  });

  it('in memory (browsers): hfModelFiles holds the bytes saveHfModel writes, modelFromHfFiles loads them back', () => {
    const f = readHfAlbertFixture('tiny_shared');
    const model = modelFromHf(f.config, readSafetensors(f.safetensors), {
      embeddings: factorized(), sharing: sharedAttention(), objectives: objectives(),
    });
    const files = hfModelFiles(model);
    expect([...files.keys()]).toEqual(['config.json', 'model.safetensors']);
    const dir = path.join(tmp, 'in-memory');
    saveHfModel(dir, model);
    for (const [name, bytes] of files) expect(Buffer.compare(Buffer.from(bytes), fs.readFileSync(path.join(dir, name))), name).toBe(0);
    const back = modelFromHfFiles(new Map([...files, ['spiece.model', new Uint8Array([1, 2, 3])]]), {
      embeddings: factorized(), objectives: objectives(),
    });
    expect(back.albert.sharingPlan.slots).toEqual(model.albert.sharingPlan.slots);
    expectSameParameters(model.namedParameters(), back.namedParameters());
    model.dispose();
    back.dispose();
  });

  it('in memory: a missing file, bytes that are not JSON, or JSON that is not an object are one-line errors', () => {
    const f = readHfAlbertFixture('tiny_shared');
    const weights = f.safetensors;
    const enc = (s: string) => new TextEncoder().encode(s);
    const load = (files: [string, Uint8Array][]) => () => modelFromHfFiles(new Map(files), { embeddings: factorized() });
    expect(load([['model.safetensors', weights]])).toThrow(new CheckpointError('config.json not found among the files (model.safetensors)'));
    expect(load([['config.json', enc(JSON.stringify(f.config))]])).toThrow(/^no model\.safetensors \(nor model\.safetensors\.index\.json\) in the files \(config\.json\)$/);
    expect(load([['config.json', enc('{"hidden_size": ')], ['model.safetensors', weights]])).toThrow(/^config\.json is not valid JSON: config\.json \(/);
    expect(load([['config.json', new Uint8Array([0x7b, 0xff, 0x7d])], ['model.safetensors', weights]])).toThrow(CheckpointError);
    expect(load([['config.json', enc('[1]')], ['model.safetensors', weights]])).toThrow(ConfigError);
  });

  it('loads AlbertModel files (no albert. prefix) and pretraining files without tied duplicates', () => {
    const f = readHfAlbertFixture('tiny_inner2');
    const tensors = readSafetensors(f.safetensors);
    const noTied = new Map([...tensors].filter(([k]) => !k.startsWith('predictions.decoder.')));
    const a = modelFromHf(f.config, noTied, { embeddings: factorized(), objectives: objectives() });
    const bare = new Map([...tensors].filter(([k]) => k.startsWith('albert.')).map(([k, v]) => [k.slice(7), v]));
    const b = modelFromHf(f.config, bare, { embeddings: factorized() });
    const c = modelFromHf(f.config, tensors, { embeddings: factorized() }); // heads ignored, as HF does
    expect(b).toBeInstanceOf(AlbertModel);
    expect(a).toBeInstanceOf(AlbertForPreTraining);
    const inputs = inputsOf(f);
    for (const m of [(a as AlbertForPreTraining).albert, b as AlbertModel, c as AlbertModel]) {
      tf.tidy(() => {
        const out = m.apply(inputs);
        expect(maxAbsDiff(out.lastHiddenState, f.outputs.last_hidden_state)).toBeLessThan(1e-4);
        expect(maxAbsDiff(out.poolerOutput!, f.outputs.pooler_output)).toBeLessThan(1e-4);
      });
    }
    // An AlbertModel saves with AlbertModel names and no heads.
    const saved = toHfCheckpoint(b);
    expect([...saved.tensors.keys()].sort()).toEqual([...bare.keys()].sort());
    expect(saved.config['architectures']).toEqual(['AlbertModel']);
    // Omitting the tied duplicates on save is an option.
    expect([...toHfCheckpoint(a, { tiedDuplicates: false }).tensors.keys()].sort()).toEqual([...noTied.keys()].sort());
    tf.dispose(Object.values(inputs));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('accepts old-style files: position_ids buffer, MLM bias only as predictions.decoder.bias', () => {
    const f = readHfAlbertFixture('tiny_shared');
    const t = new Map<string, HfTensor>(readSafetensors(f.safetensors));
    t.set('albert.embeddings.position_ids', { shape: [1, 64], data: Float32Array.from({ length: 64 }, (_, i) => i) });
    t.delete('predictions.bias');
    const m = modelFromHf(f.config, t, { embeddings: factorized(), objectives: objectives() });
    const bias = m.namedParameters().get('predictions.bias')!.dataSync() as Float32Array;
    expect(bitsEqual(bias, t.get('predictions.decoder.bias')!.data)).toBe(true);
    m.dispose();
  });

  it('loads a BF16 checkpoint directory (upcast exactly to float32)', () => {
    const f = readHfAlbertFixture('tiny_shared');
    const t = readSafetensors(f.safetensors);
    // Hand-built BF16 safetensors: the upper 16 bits of every float32.
    const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
    const chunks: Uint8Array[] = [];
    let offset = 0;
    for (const [name, v] of [...t].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const bits = new Uint32Array(v.data.buffer, v.data.byteOffset, v.data.length);
      const half = Uint16Array.from(bits, (b) => b >>> 16);
      chunks.push(new Uint8Array(half.buffer));
      header[name] = { dtype: 'BF16', shape: v.shape, data_offsets: [offset, offset + half.byteLength] };
      offset += half.byteLength;
    }
    let json = JSON.stringify(header);
    json += ' '.repeat((8 - (json.length % 8)) % 8);
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    const dir = path.join(tmp, 'bf16');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'model.safetensors'), Buffer.concat([len, Buffer.from(json), ...chunks]));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(f.config));
    const m = loadHfModel(dir, { embeddings: factorized(), objectives: objectives() });
    const w = m.namedParameters().get('embeddings.word_embeddings.weight')!.dataSync() as Float32Array;
    const ref = t.get('albert.embeddings.word_embeddings.weight')!.data;
    const truncated = new Float32Array(new Uint32Array(ref.buffer, ref.byteOffset, ref.length).map((b) => (b >>> 16) << 16).buffer);
    expect(bitsEqual(w, truncated)).toBe(true);
    m.dispose();
  });

  it.each([['shared-attention', sharedAttention()], ['shared-ffn', sharedFfn()]] as const)(
    '%s saves as a not-shared HF layout plus albert_ts_sharing and loads back with the same sharing', (_n, sharing) => {
      const config = presetConfig('albert-tiny', { vocabSize: 50, embeddingSize: 8, hiddenSize: 16, numAttentionHeads: 2, intermediateSize: 24, numHiddenLayers: 3, maxPositionEmbeddings: 12 });
      const model = createPretrainingModel(config, { embeddings: factorized(), sharing, objectives: objectives(), seed: 9 });
      const dir = path.join(tmp, _n);
      saveHfModel(dir, model);
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
      expect(json.num_hidden_groups).toBe(3);
      expect(json[SHARING_KEY].attention).toEqual(model.albert.sharingPlan.slotOf.attention);
      const names = [...readSafetensors(new Uint8Array(fs.readFileSync(path.join(dir, 'model.safetensors')))).keys()];
      expect(names.filter((n) => n.endsWith('attention.query.weight'))).toHaveLength(3); // duplicated per layer
      const back = loadHfModel(dir, { embeddings: factorized(), objectives: objectives() });
      expect(back.albert.sharingPlan.slots).toEqual(model.albert.sharingPlan.slots);
      expect(back.countParameters()).toBe(model.countParameters());
      expectSameParameters(model.namedParameters(), back.namedParameters());
      // HF semantics (num_hidden_groups = L, no sharing) compute the same function.
      const unshared = loadHfModel(dir, { embeddings: factorized(), sharing: notShared() });
      const ids = tf.tensor2d([[2, 7, 9, 3, 11, 3, 0]], undefined, 'int32');
      const d = tf.tidy(() => tf.max(tf.abs(tf.sub(model.albert.apply({ inputIds: ids }).lastHiddenState,
        unshared.apply({ inputIds: ids }).lastHiddenState))).dataSync()[0]);
      expect(d).toBe(0);
      ids.dispose();
      [model, back, unshared].forEach((m) => m.dispose());
    });

  it('grouped(2) with 2 inner layers round-trips through HF groups bit-exactly', () => {
    const config = presetConfig('albert-tiny', { vocabSize: 50, embeddingSize: 8, hiddenSize: 16, numAttentionHeads: 2, intermediateSize: 24, numHiddenLayers: 4, numHiddenGroups: 2, innerGroupNum: 2, maxPositionEmbeddings: 12, hiddenAct: 'relu' });
    const model = createPretrainingModel(config, { embeddings: factorized(), objectives: objectives(), seed: 5 });
    const saved = toHfCheckpoint(model);
    expect(saved.config['num_hidden_groups']).toBe(2);
    expect(saved.config['inner_group_num']).toBe(2);
    expect(saved.config[SHARING_KEY]).toBeUndefined();
    expect(saved.tensors.has('albert.encoder.albert_layer_groups.1.albert_layers.1.ffn_output.weight')).toBe(true);
    const back = modelFromHf(saved.config, saved.tensors, { embeddings: factorized(), objectives: objectives() });
    expectSameParameters(model.namedParameters(), back.namedParameters());
    model.dispose();
    back.dispose();
  });

  it('a model without E→H projection saves an identity mapping HF can load', () => {
    const config = presetConfig('bert-base', { vocabSize: 40, embeddingSize: 16, hiddenSize: 16, numAttentionHeads: 2, intermediateSize: 24, numHiddenLayers: 2, numHiddenGroups: 2, maxPositionEmbeddings: 12 });
    const model = createPretrainingModel(config, { embeddings: factorized({ projection: 'auto' }), objectives: objectives(), seed: 2 });
    const dir = path.join(tmp, 'noproj');
    saveHfModel(dir, model);
    const same = loadHfModel(dir, { embeddings: factorized({ projection: 'auto' }), objectives: objectives() });
    expectSameParameters(model.namedParameters(), same.namedParameters());
    const hfLike = loadHfModel(dir, { embeddings: factorized({ projection: 'always' }) });
    const ids = tf.tensor2d([[2, 7, 9, 3]], undefined, 'int32');
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(model.albert.apply({ inputIds: ids }).lastHiddenState,
      hfLike.apply({ inputIds: ids }).lastHiddenState))).dataSync()[0]);
    expect(d).toBe(0);
    ids.dispose();
    [model, same, hfLike].forEach((m) => m.dispose());
  });
});

describe('hostile checkpoints', () => {
  const f = readHfAlbertFixture('tiny_shared');
  const tensors = readSafetensors(f.safetensors);
  const load = (t: Map<string, HfTensor>, json: Record<string, unknown> = f.config) =>
    modelFromHf(json, t, { embeddings: factorized(), objectives: objectives() });
  const expectError = (fn: () => unknown, message: RegExp) => {
    expectNoLeaks(() => { // nothing leaks on failure
      expect(fn).toThrow(CheckpointError);
      expect(fn).toThrow(message);
    });
  };

  it('missing tensor', () => {
    const t = new Map<string, HfTensor>(tensors);
    t.delete('predictions.dense.bias');
    expectError(() => load(t), /missing tensor "predictions.dense.bias"/);
    const u = new Map<string, HfTensor>(tensors);
    u.delete('albert.pooler.bias');
    expectError(() => load(u), /missing tensor "pooler.bias"/);
  });

  it('unexpected tensor', () => {
    const t = new Map<string, HfTensor>(tensors);
    t.set('albert.encoder.albert_layer_groups.1.albert_layers.0.ffn.bias', tensors.get('albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.bias')!);
    expectError(() => load(t), /unexpected tensor "encoder.albert_layer_groups.1/);
  });

  it('shape mismatch', () => {
    const t = new Map<string, HfTensor>(tensors);
    t.set('albert.pooler.weight', { shape: [32, 31], data: new Float32Array(32 * 31) });
    expectError(() => load(t), /"pooler.weight" has shape \[32,31\], the model expects \[32,32\]/);
  });

  it('copies of one shared parameter that differ', () => {
    const json = { ...f.config, num_hidden_groups: 3 };
    const t = new Map<string, HfTensor>(tensors);
    for (const [k, v] of tensors) {
      const m = /^albert\.encoder\.albert_layer_groups\.0\.(.*)$/.exec(k);
      if (m) for (const g of [1, 2]) t.set(`albert.encoder.albert_layer_groups.${g}.${m[1]}`, v);
    }
    const wrong = t.get('albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.bias')!;
    t.set('albert.encoder.albert_layer_groups.2.albert_layers.0.ffn.bias', { shape: wrong.shape, data: wrong.data.map((x) => x + 1) });
    // Loaded as not-shared (HF semantics) it works; forced into all-shared it must refuse.
    load(t, json).dispose();
    expect(() => modelFromHf(json, t, { embeddings: factorized(), sharing: { name: 'all', slots: () => 1, slotOf: () => 0 } }))
      .toThrow(/differ but sharing "all" uses one parameter for both/);
  });

  it('a config.json far larger than the weights file (refused before allocating)', () => {
    const json = { ...f.config, hidden_size: 4096, num_attention_heads: 64, intermediate_size: 16384, vocab_size: 30000 };
    expectError(() => load(tensors, json), /config.json describes \d+ parameters but model.safetensors holds only \d+ values/);
  });

  it('a malformed albert_ts_sharing table', () => {
    for (const table of [{ attention: [0, 0], ffn: [0, 0, 0] }, { attention: [0, 0, 9], ffn: [0, 0, 0] }, 'x']) {
      expect(() => load(tensors, { ...f.config, num_hidden_groups: 3, [SHARING_KEY]: table })).toThrow(/albert_ts_sharing/);
    }
  });

  it('a directory without files', () => {
    expect(() => loadHfModel(path.join(tmp, 'nothing-here'), { embeddings: factorized() })).toThrow(/model directory not found/);
    const dir = path.join(tmp, 'config-only');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'config.json'), '{"hidden_size": ');
    expect(() => loadHfModel(dir, { embeddings: factorized() })).toThrow(/config.json is not valid JSON/);
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(f.config));
    expect(() => loadHfModel(dir, { embeddings: factorized() })).toThrow(/^no model\.safetensors \(nor model\.safetensors\.index\.json\) in /);
  });
});
