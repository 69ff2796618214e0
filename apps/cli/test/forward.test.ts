import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturePath, readJsonFixture } from '@albert-ts/testing';
import { readSafetensors, writeSafetensors } from '@albert-ts/core';
import { isOneLineUsageFailure, runMain } from './run-cli.js';

type Nested = number | Nested[];

interface AlbertFixture {
  config: Record<string, unknown>;
  inputs: { input_ids: number[][]; token_type_ids: number[][]; attention_mask: number[][] };
  outputs: {
    last_hidden_state: Nested; pooler_output: Nested; hidden_states: Nested[];
    prediction_logits: Nested; sop_logits: Nested;
  };
}

interface HeadFixture {
  config: Record<string, unknown>;
  inputs: { input_ids: number[][]; token_type_ids: number[][]; attention_mask: number[][] };
  outputs: { logits: Nested };
  debug: { last_hidden_state: Nested; pooler_output?: Nested };
}

const TOL = 1e-4;

/** Max abs difference of two equally shaped nested arrays (throws on a shape mismatch). */
function maxAbsDiff(a: Nested, b: Nested, where = ''): number {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) throw new Error(`shape mismatch at ${where}`);
    let m = 0;
    for (let i = 0; i < a.length; i++) m = Math.max(m, maxAbsDiff(a[i], b[i], `${where}[${i}]`));
    return m;
  }
  const d = Math.abs(a - b);
  return Number.isNaN(d) ? Infinity : d;
}

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-cli-forward-')); });
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

/** A model directory: config.json + model.safetensors (bytes given or copied from a fixture). */
function modelDir(name: string, config: unknown, weights: Uint8Array | string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  if (typeof weights === 'string') fs.copyFileSync(weights, path.join(dir, 'model.safetensors'));
  else fs.writeFileSync(path.join(dir, 'model.safetensors'), weights);
  return dir;
}

function writeJson(name: string, value: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

async function forward(dir: string, inputs: string, backend: string): Promise<Record<string, Nested>> {
  const out = path.join(tmp, `out-${path.basename(dir)}-${backend}.json`);
  const r = await runMain(['forward', '--model', dir, '--inputs', inputs, '--out', out, '--backend', backend]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, Nested>;
}

describe('albert forward reproduces the HF fixtures (1e-4)', () => {
  for (const name of ['tiny_shared', 'tiny_groups', 'tiny_inner2']) {
    for (const backend of ['cpu', 'wasm']) {
      it(`${name} on ${backend}: every output of AlbertForPreTraining`, async () => {
        const fx = readJsonFixture<AlbertFixture>('hf-albert', `${name}.json`);
        const dir = modelDir(name, fx.config, fixturePath('hf-albert', `${name}.safetensors`));
        const out = await forward(dir, writeJson(`${name}-inputs.json`, fx.inputs), backend);
        expect(Object.keys(out)).toEqual(
          ['last_hidden_state', 'pooler_output', 'hidden_states', 'prediction_logits', 'sop_logits']);
        expect(maxAbsDiff(out.last_hidden_state, fx.outputs.last_hidden_state)).toBeLessThan(TOL);
        expect(maxAbsDiff(out.pooler_output, fx.outputs.pooler_output)).toBeLessThan(TOL);
        expect((out.hidden_states as Nested[]).length).toBe(fx.outputs.hidden_states.length);
        expect(maxAbsDiff(out.hidden_states, fx.outputs.hidden_states)).toBeLessThan(TOL);
        expect(maxAbsDiff(out.prediction_logits, fx.outputs.prediction_logits)).toBeLessThan(TOL);
        expect(maxAbsDiff(out.sop_logits, fx.outputs.sop_logits)).toBeLessThan(TOL);
      });
    }
  }

  it('an AlbertModel checkpoint (no albert. prefix, no heads) gives the backbone outputs only', async () => {
    const fx = readJsonFixture<AlbertFixture>('hf-albert', 'tiny_shared.json');
    const all = readSafetensors(new Uint8Array(fs.readFileSync(fixturePath('hf-albert', 'tiny_shared.safetensors'))));
    const backbone = new Map([...all].filter(([k]) => k.startsWith('albert.')).map(([k, t]) => [k.slice(7), t]));
    const dir = modelDir('albert-model', fx.config, writeSafetensors(backbone, { format: 'pt' }));
    const inputs = { input_ids: fx.inputs.input_ids, attention_mask: fx.inputs.attention_mask,
      token_type_ids: fx.inputs.token_type_ids };
    const out = await forward(dir, writeJson('albert-model-inputs.json', inputs), 'cpu');
    expect(Object.keys(out)).toEqual(['last_hidden_state', 'pooler_output', 'hidden_states']);
    expect(maxAbsDiff(out.last_hidden_state, fx.outputs.last_hidden_state)).toBeLessThan(TOL);
    expect(maxAbsDiff(out.pooler_output, fx.outputs.pooler_output)).toBeLessThan(TOL);
  });

  it('hf-heads masked_lm (AlbertForMaskedLM, no pooler): logits, no pooler_output or sop_logits', async () => {
    const fx = readJsonFixture<HeadFixture>('hf-heads', 'masked_lm.json');
    const dir = modelDir('masked_lm', fx.config, fixturePath('hf-heads', 'masked_lm.safetensors'));
    const out = await forward(dir, writeJson('masked_lm-inputs.json', fx.inputs), 'cpu');
    expect(Object.keys(out)).toEqual(['last_hidden_state', 'hidden_states', 'logits']);
    expect(maxAbsDiff(out.last_hidden_state, fx.debug.last_hidden_state)).toBeLessThan(TOL);
    expect(maxAbsDiff(out.logits, fx.outputs.logits)).toBeLessThan(TOL);
  });

  // HF's save_pretrained records the class in config.json `architectures`; the fixtures' configs (to_dict() before
  // saving) lack it, so it is added here as save_pretrained would.
  for (const [name, head, keys] of [
    ['sequence_classification', 'AlbertForSequenceClassification', ['last_hidden_state', 'pooler_output', 'hidden_states', 'logits']],
    ['sequence_regression', 'AlbertForSequenceClassification', ['last_hidden_state', 'pooler_output', 'hidden_states', 'logits']],
    ['token_classification', 'AlbertForTokenClassification', ['last_hidden_state', 'hidden_states', 'logits']],
    ['question_answering', 'AlbertForQuestionAnswering', ['last_hidden_state', 'hidden_states', 'start_logits', 'end_logits']],
  ] as const) {
    it(`hf-heads ${name}: the task head's outputs (${keys.slice(3).join(', ') || keys.at(-1)}) equal HF's`, async () => {
      const fx = readJsonFixture<HeadFixture>('hf-heads', `${name}.json`);
      const dir = modelDir(name, { ...fx.config, architectures: [head] }, fixturePath('hf-heads', `${name}.safetensors`));
      const out = await forward(dir, writeJson(`${name}-inputs.json`, fx.inputs), 'cpu');
      expect(Object.keys(out)).toEqual(keys);
      expect(maxAbsDiff(out.last_hidden_state, fx.debug.last_hidden_state)).toBeLessThan(TOL);
      if (fx.debug.pooler_output) expect(maxAbsDiff(out.pooler_output, fx.debug.pooler_output)).toBeLessThan(TOL);
      const outputs = fx.outputs as unknown as Record<string, Nested>;
      for (const k of ['logits', 'start_logits', 'end_logits']) {
        if (outputs[k] !== undefined) expect(maxAbsDiff(out[k]!, outputs[k]!), k).toBeLessThan(TOL);
      }
    });
  }

  it('a sharded checkpoint (model.safetensors.index.json) gives the same outputs', async () => {
    const fx = readJsonFixture<AlbertFixture>('hf-albert', 'tiny_groups.json');
    const all = readSafetensors(new Uint8Array(fs.readFileSync(fixturePath('hf-albert', 'tiny_groups.safetensors'))));
    const dir = path.join(tmp, 'sharded');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(fx.config));
    const names = [...all.keys()];
    const weightMap: Record<string, string> = {};
    for (const [s, shard] of ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'].entries()) {
      const part = new Map(names.filter((_, i) => i % 2 === s).map((k) => [k, all.get(k)!]));
      for (const k of part.keys()) weightMap[k] = shard;
      fs.writeFileSync(path.join(dir, shard), writeSafetensors(part, { format: 'pt' }));
    }
    fs.writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    const out = await forward(dir, writeJson('sharded-inputs.json', fx.inputs), 'cpu');
    expect(maxAbsDiff(out.last_hidden_state, fx.outputs.last_hidden_state)).toBeLessThan(TOL);
    expect(maxAbsDiff(out.prediction_logits, fx.outputs.prediction_logits)).toBeLessThan(TOL);
  });

  it('missing token_type_ids and attention_mask mean zeros and ones', async () => {
    const fx = readJsonFixture<AlbertFixture>('hf-albert', 'tiny_shared.json');
    const dir = modelDir('defaults', fx.config, fixturePath('hf-albert', 'tiny_shared.safetensors'));
    const row = fx.inputs.input_ids[0];
    const implicit = await forward(dir, writeJson('implicit.json', { input_ids: [row] }), 'cpu');
    const explicit = await forward(dir, writeJson('explicit.json', {
      input_ids: [row], token_type_ids: [row.map(() => 0)], attention_mask: [row.map(() => 1)],
    }), 'cpu');
    expect(maxAbsDiff(implicit.last_hidden_state, explicit.last_hidden_state)).toBe(0);
  });
});

describe('albert forward rejects bad input with exit code 2 and one stderr line', () => {
  const fx = () => readJsonFixture<AlbertFixture>('hf-albert', 'tiny_shared.json');
  const goodDir = () => modelDir('good', fx().config, fixturePath('hf-albert', 'tiny_shared.safetensors'));
  const goodInputs = () => writeJson('good-inputs.json', fx().inputs);
  const out = () => path.join(tmp, 'bad-out.json');
  const bytes = () => new Uint8Array(fs.readFileSync(fixturePath('hf-albert', 'tiny_shared.safetensors')));

  const cases: [string, () => string[]][] = [
    ['missing --model', () => ['--inputs', goodInputs(), '--out', out()]],
    ['missing --out', () => ['--model', goodDir(), '--inputs', goodInputs()]],
    ['unknown backend', () => ['--model', goodDir(), '--inputs', goodInputs(), '--out', out(), '--backend', 'gpu']],
    ['model directory does not exist', () => ['--model', path.join(tmp, 'nope'), '--inputs', goodInputs(),
      '--out', out()]],
    ['malformed config.json', () => {
      const dir = goodDir();
      fs.writeFileSync(path.join(dir, 'config.json'), '{"vocab_size": 96,,}');
      return ['--model', dir, '--inputs', goodInputs(), '--out', out()];
    }],
    ['config.json with an invalid value', () => {
      const dir = modelDir('badcfg', { ...fx().config, num_attention_heads: 5 },
        fixturePath('hf-albert', 'tiny_shared.safetensors'));
      return ['--model', dir, '--inputs', goodInputs(), '--out', out()];
    }],
    ['truncated safetensors', () => ['--model', modelDir('trunc', fx().config, bytes().subarray(0, 5000)),
      '--inputs', goodInputs(), '--out', out()]],
    ['safetensors header length beyond the file', () => {
      const b = bytes();
      new DataView(b.buffer).setBigUint64(0, 10n ** 7n, true);
      return ['--model', modelDir('hdr', fx().config, b), '--inputs', goodInputs(), '--out', out()];
    }],
    ['safetensors missing a tensor', () => {
      const t = readSafetensors(bytes());
      t.delete('albert.pooler.weight');
      return ['--model', modelDir('missing', fx().config, writeSafetensors(t)), '--inputs', goodInputs(),
        '--out', out()];
    }],
    ['safetensors with a wrongly shaped tensor', () => {
      const t = readSafetensors(bytes());
      const w = t.get('albert.pooler.bias')!;
      t.set('albert.pooler.bias', { ...w, shape: [w.data.length / 2, 2] });
      return ['--model', modelDir('shape', fx().config, writeSafetensors(t)), '--inputs', goodInputs(),
        '--out', out()];
    }],
    ['inputs file is not JSON', () => {
      const f = path.join(tmp, 'notjson.json');
      fs.writeFileSync(f, 'input_ids: [[1]]');
      return ['--model', goodDir(), '--inputs', f, '--out', out()];
    }],
    ['ragged input_ids', () => ['--model', goodDir(), '--inputs', writeJson('ragged.json',
      { input_ids: [[2, 5, 3], [2, 3]] }), '--out', out()]],
    ['token id outside the vocabulary', () => ['--model', goodDir(), '--inputs', writeJson('oov.json',
      { input_ids: [[2, 96, 3]] }), '--out', out()]],
    ['attention_mask shape mismatch', () => ['--model', goodDir(), '--inputs', writeJson('mask.json',
      { input_ids: [[2, 5, 3]], attention_mask: [[1, 1]] }), '--out', out()]],
    ['sequence longer than max_position_embeddings', () => ['--model', goodDir(), '--inputs', writeJson('long.json',
      { input_ids: [Array.from({ length: 65 }, () => 5)] }), '--out', out()]],
    ['output directory does not exist', () => ['--model', goodDir(), '--inputs', goodInputs(),
      '--out', path.join(tmp, 'no-such-dir', 'o.json')]],
    ['only pytorch_model.bin', () => {
      const dir = path.join(tmp, 'pickle');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(fx().config));
      fs.writeFileSync(path.join(dir, 'pytorch_model.bin'), 'PK');
      return ['--model', dir, '--inputs', goodInputs(), '--out', out()];
    }],
    ['relative position embeddings', () => ['--model', modelDir('relpos', { ...fx().config, position_embedding_type: 'relative_key' },
      fixturePath('hf-albert', 'tiny_shared.safetensors')), '--inputs', goodInputs(), '--out', out()]],
    ['a classifier without architectures', () => {
      const h = readJsonFixture<HeadFixture>('hf-heads', 'sequence_classification.json');
      return ['--model', modelDir('noarch', h.config, fixturePath('hf-heads', 'sequence_classification.safetensors')),
        '--inputs', writeJson('noarch-inputs.json', h.inputs), '--out', out()];
    }],
  ];
  for (const [label, argv] of cases) {
    it(label, async () => {
      const r = await runMain(['forward', ...argv()]);
      expect(isOneLineUsageFailure(r), JSON.stringify(r)).toBe(true);
    });
  }

  it('names the problem for pytorch_model.bin and relative position embeddings', async () => {
    const pickle = path.join(tmp, 'pickle');
    let r = await runMain(['forward', '--model', pickle, '--inputs', goodInputs(), '--out', out()]);
    expect(r.stderr).toMatch(/only pytorch_model\.bin .* which albert-ts does not read; convert it .*save_pretrained\(dir, safe_serialization=True\)/);
    r = await runMain(['forward', '--model', path.join(tmp, 'relpos'), '--inputs', goodInputs(), '--out', out()]);
    expect(r.stderr).toMatch(/position_embedding_type="relative_key" is not supported/);
  });
});
