// Runs every example as a user would (`vite-node <example> <out>`, against the workspace sources) and checks what it
// leaves behind. `pnpm test` type-checks the examples first (see package.json).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@albert-ts/backends';
import { loadHfModel } from '@albert-ts/core/node';
import { factorized } from '@albert-ts/embeddings';
import { mlm, sop } from '@albert-ts/objectives';
import { afterAll, describe, expect, it } from 'vitest';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-example-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

function runExample(file: string, ...args: string[]) {
  const req = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'));
  const viteNode = path.join(path.dirname(req.resolve('vite-node/package.json')), 'vite-node.mjs');
  return spawnSync(process.execPath, [viteNode, '--config', path.join(dir, 'vitest.config.ts'), path.join(dir, file), ...args],
    { cwd: dir, encoding: 'utf8', timeout: 240_000 });
}

describe('examples/train-your-own.ts', () => {
  it('is at most 15 lines, and the root README quotes it verbatim', () => {
    const source = fs.readFileSync(path.join(dir, 'train-your-own.ts'), 'utf8').trimEnd();
    expect(source.split('\n').length).toBeLessThanOrEqual(15);
    const readme = fs.readFileSync(path.join(dir, '..', 'README.md'), 'utf8');
    const quoted = /<!-- example:train-your-own[^>]*-->\n```ts\n([\s\S]*?)\n```\n<!-- \/example:train-your-own -->/.exec(readme);
    expect(quoted?.[1]).toBe(source);
  });

  it('trains its own sharing strategy for 20 steps and saves a HF directory that loads back with that sharing', async () => {
    const model = path.join(out, 'model');
    const r = runExample('train-your-own.ts', model);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readdirSync(model).sort()).toEqual(['config.json', 'model.safetensors', 'special_tokens_map.json', 'spiece.model', 'tokenizer_config.json']);
    const config = JSON.parse(fs.readFileSync(path.join(model, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['AlbertForPreTraining']);
    expect(config.albert_ts_sharing).toEqual({ name: 'paired-attention', attention: [0, 0, 1, 1], ffn: [0, 1, 2, 3] });
    await useBackend('cpu');
    const back = loadHfModel(model, { embeddings: factorized(), objectives: [mlm(), sop()] });
    expect(back.albert.sharingPlan.slots).toEqual({ attention: 2, ffn: 4 });
    // trained: the LayerNorm weights, initialised to exactly 1, have moved
    const ln = back.namedParameters().get('embeddings.LayerNorm.weight')!;
    expect(Array.from(ln.dataSync()).some((v) => v !== 1)).toBe(true);
    back.dispose();
  });
});
