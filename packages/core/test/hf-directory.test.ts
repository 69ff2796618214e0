import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBinaryFixture, readJsonFixture, thrown } from '@albert-ts/testing';
import { CheckpointError, ConfigError, configFromHf, readHfWeights, readSafetensors, writeSafetensors } from '../src/index.js';
import { readHfDirectory } from '../src/node/index.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-hfdir-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const fixture = readJsonFixture<{ config: Record<string, unknown> }>('hf-albert', 'tiny_groups.json');
const whole = readSafetensors(readBinaryFixture('hf-albert', 'tiny_groups.safetensors'));

function dirWith(name: string, files: Record<string, Uint8Array | string>): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(fixture.config));
  for (const [f, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), bytes);
  return dir;
}

/** Splits the fixture's tensors into `n` shards plus an index, as `save_pretrained(max_shard_size=...)` does. */
function shardFiles(n: number): Record<string, Uint8Array | string> {
  const names = [...whole.keys()];
  const files: Record<string, Uint8Array | string> = {};
  const weightMap: Record<string, string> = {};
  for (let s = 0; s < n; s++) {
    const shard = `model-${String(s + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`;
    const part = new Map(names.filter((_, i) => i % n === s).map((k) => [k, whole.get(k)!]));
    for (const k of part.keys()) weightMap[k] = shard;
    files[shard] = writeSafetensors(part, { format: 'pt' });
  }
  files['model.safetensors.index.json'] = JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap });
  return files;
}


describe('readHfDirectory', () => {
  it('reads config.json and model.safetensors', () => {
    const dir = dirWith('single', { 'model.safetensors': readBinaryFixture('hf-albert', 'tiny_groups.safetensors') });
    const files = readHfDirectory(dir);
    expect(files.config).toEqual(fixture.config);
    expect([...files.tensors.keys()].sort()).toEqual([...whole.keys()].sort());
  });

  it('reads a sharded checkpoint (model.safetensors.index.json) into the same tensors', () => {
    const files = readHfDirectory(dirWith('sharded', shardFiles(3)));
    expect([...files.tensors.keys()].sort()).toEqual([...whole.keys()].sort());
    for (const [k, t] of whole) {
      expect(files.tensors.get(k)!.shape).toEqual(t.shape);
      expect(files.tensors.get(k)!.data).toEqual(t.data);
    }
  });

  it('reads the same shards from files in memory (the browser path)', () => {
    const files = new Map(Object.entries(shardFiles(2)).map(([k, v]) => [k, typeof v === 'string' ? new TextEncoder().encode(v) : v]));
    const tensors = readHfWeights({ has: (n) => files.has(n), read: (n) => files.get(n)! }, 'the files');
    expect([...tensors.keys()].sort()).toEqual([...whole.keys()].sort());
    expect(() => readHfWeights({ has: (n) => n === 'pytorch_model.bin', read: () => new Uint8Array(0) }, 'the files'))
      .toThrow(/^only pytorch_model\.bin \(a PyTorch pickle\) in the files,/);
  });

  it('refuses a directory with only pytorch_model.bin, saying how to convert it', () => {
    const err = thrown(() => readHfDirectory(dirWith('pickle', { 'pytorch_model.bin': 'PK\x03\x04' })));
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toMatch(/^only pytorch_model\.bin \(a PyTorch pickle\) in .*pickle, which albert-ts does not read; .*save_pretrained\(dir, safe_serialization=True\)$/);
    expect(err.message).not.toMatch(/\n/);
  });

  it('names the missing weights file', () => {
    expect(() => readHfDirectory(dirWith('empty', {}))).toThrow(/^no model\.safetensors \(nor model\.safetensors\.index\.json\) in .*empty$/);
    expect(() => readHfDirectory(path.join(tmp, 'nope'))).toThrow(CheckpointError);
  });

  it('refuses hostile or inconsistent shard indexes with one-line errors', () => {
    const good = shardFiles(2);
    const index = JSON.parse(good['model.safetensors.index.json'] as string) as { weight_map: Record<string, string> };
    const first = Object.keys(index.weight_map)[0]!;
    const shard2 = 'model-00002-of-00002.safetensors';
    const lastOf2 = Object.keys(index.weight_map).filter((k) => index.weight_map[k] === shard2).at(-1)!;
    const cases: [string, Record<string, Uint8Array | string>, RegExp][] = [
      ['traversal', { ...good, 'model.safetensors.index.json': JSON.stringify({ weight_map: { [first]: '../../etc/passwd.safetensors' } }) }, /not a \.safetensors file name/],
      ['no-map', { 'model.safetensors.index.json': '{"metadata": {}}' }, /weight_map must be a non-empty object/],
      ['not-json', { 'model.safetensors.index.json': '{' }, /not valid JSON/],
      ['missing-shard', { 'model.safetensors.index.json': good['model.safetensors.index.json']! }, /not found/],
      ['all-in-one-shard', {
        ...good,
        'model.safetensors.index.json': JSON.stringify({ weight_map: Object.fromEntries(Object.keys(index.weight_map).map((k) => [k, shard2])) }),
      }, /has no tensor ".*", which model\.safetensors\.index\.json places there/],
      ['unlisted', {
        ...good,
        'model.safetensors.index.json': JSON.stringify({ weight_map: Object.fromEntries(Object.entries(index.weight_map).filter(([k]) => k !== lastOf2)) }),
      }, /is not listed for this shard/],
    ];
    for (const [name, files, re] of cases) {
      const err = thrown(() => readHfDirectory(dirWith(`bad-${name}`, files)));
      expect(err, name).toBeInstanceOf(CheckpointError);
      expect(err.message, name).toMatch(re);
      expect(err.message, name).not.toMatch(/\n/);
    }
  });
});

describe('config.json position_embedding_type', () => {
  it('accepts absolute (and its absence), refuses the relative variants by name', () => {
    expect(() => configFromHf({ ...fixture.config, position_embedding_type: 'absolute' })).not.toThrow();
    for (const v of ['relative_key', 'relative_key_query']) {
      const err = thrown(() => configFromHf({ ...fixture.config, position_embedding_type: v }));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toBe(`config: position_embedding_type="${v}" is not supported: albert-ts implements only "absolute" position embeddings (HF's default)`);
    }
  });
});
