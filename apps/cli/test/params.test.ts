import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturePath, readJsonFixture } from '@albert-ts/testing';
import { isOneLineUsageFailure, runMain } from './run-cli.js';

interface RealSize {
  config: Record<string, number>;
  AlbertModel: number;
  AlbertForPreTraining: number;
  breakdown_AlbertModel: { embeddings: number; encoder: number; pooler: number };
  breakdown_AlbertForPreTraining: Record<string, number>;
}
interface ParamCounts {
  real: Record<string, RealSize>;
  fixtures: Record<string, { AlbertModel: number; AlbertForPreTraining: number }>;
}

const counts = readJsonFixture<ParamCounts>('param-counts.json');

async function params(...argv: string[]): Promise<Record<string, number>> {
  const r = await runMain(['params', ...argv]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, number>;
}

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-cli-params-')); });
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

describe('albert params equals param-counts.json exactly', () => {
  for (const [name, ref] of Object.entries(counts.real)) {
    it(`${name} preset: AlbertModel and AlbertForPreTraining totals and breakdowns`, async () => {
      const model = await params('--config', name, '--head', 'none');
      expect(model.total).toBe(ref.AlbertModel);
      expect(model.embeddings).toBe(ref.breakdown_AlbertModel.embeddings);
      expect(model.encoder).toBe(ref.breakdown_AlbertModel.encoder);
      expect(model.pooler).toBe(ref.breakdown_AlbertModel.pooler);
      expect(model.heads).toBe(0);

      const pre = await params('--config', name, '--head', 'pretraining');
      const b = ref.breakdown_AlbertForPreTraining;
      expect(pre.total).toBe(ref.AlbertForPreTraining);
      expect(pre.embeddings).toBe(b['albert.embeddings']);
      expect(pre.encoder).toBe(b['albert.encoder']);
      expect(pre.pooler).toBe(b['albert.pooler']);
      expect(pre.heads).toBe(b.predictions + b.sop_classifier);
    });

    it(`${name} from a HuggingFace config.json file`, async () => {
      const file = path.join(tmp, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify({ ...ref.config, hidden_act: 'gelu_new', model_type: 'albert' }));
      expect((await params('--config', file)).total).toBe(ref.AlbertModel);
      expect((await params('--config', file, '--head', 'pretraining')).total).toBe(ref.AlbertForPreTraining);
    });
  }

  for (const [name, ref] of Object.entries(counts.fixtures)) {
    it(`fixture ${name} (groups and inner layers from its config.json)`, async () => {
      const json = readJsonFixture<{ config: Record<string, unknown> }>('hf-albert', `${name}.json`);
      const file = path.join(tmp, `${name}.config.json`);
      fs.writeFileSync(file, JSON.stringify(json.config));
      expect((await params('--config', file)).total).toBe(ref.AlbertModel);
      expect((await params('--config', file, '--head', 'pretraining')).total).toBe(ref.AlbertForPreTraining);
    });
  }
});

// ALBERT paper (Lan et al., 2020), ALBERT-base H=768 L=12, parameters in millions as printed.
const TABLE3: [number, 'none' | 'all', number][] = [
  [64, 'none', 87], [128, 'none', 89], [256, 'none', 93], [768, 'none', 108],
  [64, 'all', 10], [128, 'all', 12], [256, 'all', 16], [768, 'all', 31],
];
const TABLE4: [number, string, number][] = [
  [768, 'all', 31], [768, 'attention', 83], [768, 'ffn', 57], [768, 'none', 108],
  [128, 'all', 12], [128, 'attention', 64], [128, 'ffn', 38], [128, 'none', 89],
];

describe('albert params reproduces the paper within 1.1M (--projection auto)', () => {
  for (const [table, rows] of [['Table 3', TABLE3], ['Table 4', TABLE4]] as const) {
    for (const [e, sharing, millions] of rows) {
      it(`${table}: E=${e}, sharing ${sharing}: ${millions}M`, async () => {
        const r = await params('--config', 'albert-base', '--embedding-size', String(e), '--sharing', sharing,
          '--projection', 'auto');
        expect(Math.abs(r.total - millions * 1e6)).toBeLessThanOrEqual(1.1e6);
      });
    }
  }

  it('projection auto drops exactly the E×H + H mapping when E = H, and changes nothing otherwise', async () => {
    const always = await params('--config', 'albert-base', '--embedding-size', '768', '--projection', 'always');
    const auto = await params('--config', 'albert-base', '--embedding-size', '768', '--projection', 'auto');
    expect(always.total - auto.total).toBe(768 * 768 + 768);
    const a128 = await params('--config', 'albert-base', '--projection', 'auto');
    expect(a128.total).toBe(counts.real['albert-base'].AlbertModel);
  });

  it('groups:G counts G distinct layers (groups:12 equals not-shared, groups:1 equals all-shared)', async () => {
    const g12 = await params('--config', 'albert-base', '--sharing', 'groups:12');
    const none = await params('--config', 'albert-base', '--sharing', 'none');
    const g1 = await params('--config', 'albert-base', '--sharing', 'groups:1');
    const g3 = await params('--config', 'albert-base', '--sharing', 'groups:3');
    expect(g12.total).toBe(none.total);
    expect(g1.total).toBe(counts.real['albert-base'].AlbertModel);
    // One layer of ALBERT-base: 4 (H×H + H) attention + 2H LayerNorm, FFN H×I + I + I×H + H + 2H.
    const layer = 4 * (768 * 768 + 768) + 2 * 768 + 768 * 3072 + 3072 + 3072 * 768 + 768 + 2 * 768;
    expect(g3.total - g1.total).toBe(2 * layer);
  });
});

describe('albert params rejects bad input with exit code 2 and one stderr line', () => {
  const bad: [string, () => string[]][] = [
    ['missing --config', () => []],
    ['unknown option', () => ['--config', 'albert-base', '--bogus', '1']],
    ['stray positional argument', () => ['--config', 'albert-base', 'extra']],
    ['unknown preset and no such file', () => ['--config', 'albert-huge']],
    ['non-integer embedding size', () => ['--config', 'albert-base', '--embedding-size', '12.5']],
    ['zero embedding size', () => ['--config', 'albert-base', '--embedding-size', '0']],
    ['bad sharing', () => ['--config', 'albert-base', '--sharing', 'some']],
    ['bad group count', () => ['--config', 'albert-base', '--sharing', 'groups:x']],
    ['groups not dividing the layers', () => ['--config', 'albert-base', '--sharing', 'groups:5']],
    ['bad projection', () => ['--config', 'albert-base', '--projection', 'never']],
    ['bad head', () => ['--config', 'albert-base', '--head', 'mlm']],
    ['malformed config.json', () => {
      const f = path.join(tmp, 'broken.json');
      fs.writeFileSync(f, '{"hidden_size": 768,');
      return ['--config', f];
    }],
    ['config.json breaking a rule', () => {
      const f = path.join(tmp, 'indivisible.json');
      fs.writeFileSync(f, JSON.stringify({ ...counts.real['albert-base'].config, num_attention_heads: 7 }));
      return ['--config', f];
    }],
    ['config.json that is a directory', () => ['--config', tmp]],
  ];
  for (const [label, argv] of bad) {
    it(label, async () => {
      const r = await runMain(['params', ...argv()]);
      expect(isOneLineUsageFailure(r), JSON.stringify(r)).toBe(true);
      expect(r.stdout).toBe('');
    });
  }
});
