import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturePath, readJsonFixture } from '@albert-ts/testing';
import { isOneLineUsageFailure, runBin } from './run-cli.js';

// The built executable, as users run it (`pnpm test` builds it first through turbo's test → build dependency).
let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-cli-bin-')); });
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

describe('dist/bin.js', () => {
  it('params prints the albert-base AlbertForPreTraining count from param-counts.json', () => {
    const ref = readJsonFixture<{ real: Record<string, { AlbertForPreTraining: number }> }>('param-counts.json');
    const r = runBin(['params', '--config', 'albert-base', '--head', 'pretraining']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).total).toBe(ref.real['albert-base'].AlbertForPreTraining);
  });

  it('forward writes the fixture outputs on cpu', () => {
    const fx = readJsonFixture<{ config: unknown; inputs: unknown; outputs: { sop_logits: number[][] } }>(
      'hf-albert', 'tiny_groups.json');
    fs.writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(fx.config));
    fs.copyFileSync(fixturePath('hf-albert', 'tiny_groups.safetensors'), path.join(tmp, 'model.safetensors'));
    fs.writeFileSync(path.join(tmp, 'inputs.json'), JSON.stringify(fx.inputs));
    const out = path.join(tmp, 'out.json');
    const r = runBin(['forward', '--model', tmp, '--inputs', path.join(tmp, 'inputs.json'), '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const sop = (JSON.parse(fs.readFileSync(out, 'utf8')) as { sop_logits: number[][] }).sop_logits;
    const diff = Math.max(...sop.flatMap((row, i) => row.map((v, j) => Math.abs(v - fx.outputs.sop_logits[i][j]))));
    expect(diff).toBeLessThan(1e-4);
  });

  it('bad arguments and bad files: exit code 2 and one line on stderr', () => {
    for (const argv of [
      ['params', '--config', 'albert-base', '--sharing', 'groups:7'],
      ['forward', '--model', path.join(tmp, 'missing'), '--inputs', 'x.json', '--out', 'y.json'],
    ]) {
      const r = runBin(argv);
      expect(isOneLineUsageFailure(r), JSON.stringify({ argv, ...r })).toBe(true);
      expect(r.stdout).toBe('');
    }
  });
});
