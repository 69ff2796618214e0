// Every public package installs and works on its own: `pnpm pack` each one, install the tarballs with npm into
// fresh projects outside the workspace (no workspace links), and run the README's "Use one package" scripts (ESM)
// plus CommonJS and type-only consumers; publint and arethetypeswrong on every tarball; one copy of tfjs-core;
// a coherent changesets version plan with CHANGELOGs. Needs the npm registry (for npm install) and the built dist
// of every package (turbo builds them before `test`).
import { execFile, execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { countParams, createPretrainingModel, presetConfig } from '@albert-ts/core';
import { saveHfModel } from '@albert-ts/core/node';
import { factorized } from '@albert-ts/embeddings';
import { mlm } from '@albert-ts/objectives';
import type { FillMaskResult } from '@albert-ts/pipelines';
import { pipeline } from '@albert-ts/pipelines/node';
import { allShared, sharedAttention } from '@albert-ts/sharing';
import { fixturePath, repoRoot } from '@albert-ts/testing';
import { tokenizerFiles } from '@albert-ts/tokenizer';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';
import { publint } from 'publint';

const here = path.dirname(new URL(import.meta.url).pathname);
const require = (await import('node:module')).createRequire(import.meta.url);

/** Public packages: every packages/* whose package.json is not private. */
const PUBLIC = fs.readdirSync(path.join(repoRoot, 'packages')).sort()
  .map((d) => ({ dir: path.join(repoRoot, 'packages', d), json: JSON.parse(fs.readFileSync(path.join(repoRoot, 'packages', d, 'package.json'), 'utf8')) as Record<string, unknown> }))
  .filter((p) => p.json.private !== true);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-packaging-'));
const tarballs = new Map<string, string>();

function run(cmd: string, args: string[], opts: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...opts }) as string;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** {@link run} without blocking the event loop (the long steps: packing and npm install). */
function runAsync(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** pnpm as the test was started (turbo → pnpm sets npm_execpath), else through corepack. */
function pnpm(args: string[], cwd: string): Promise<string> {
  const execpath = process.env.npm_execpath;
  if (execpath !== undefined && /pnpm/.test(execpath)) return runAsync(process.execPath, [execpath, ...args], { cwd });
  return runAsync('corepack', ['pnpm', ...args], { cwd, env: { ...process.env, COREPACK_INTEGRITY_KEYS: '0', COREPACK_ENABLE_DOWNLOAD_PROMPT: '0' } });
}

/** The tarballs of `name` and of the @albert-ts packages it depends on, transitively (npm cannot fetch those). */
function withDependencies(name: string): string[] {
  const byName = new Map(PUBLIC.map((p) => [p.json.name as string, p.json]));
  const out = new Set<string>();
  const visit = (n: string): void => {
    if (out.has(n)) return;
    out.add(n);
    for (const dep of Object.keys((byName.get(n)!.dependencies ?? {}) as object)) if (byName.has(dep)) visit(dep);
  };
  visit(name);
  return [...out].map((n) => tarballs.get(n)!);
}

async function npmProject(name: string, specs: string[]): Promise<string> {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, version: '1.0.0' }));
  await runAsync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dir });
  return dir;
}

/** The README's `<!-- consumer:NAME -->` code blocks, by file name. */
function readmeConsumers(): Map<string, string> {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const out = new Map<string, string>();
  for (const m of readme.matchAll(/<!-- consumer:(\S+) -->\n```js\n([\s\S]*?)```\n<!-- \/consumer -->/g)) out.set(m[1]!, m[2]!);
  return out;
}

/** Runs a consumer script with node in `dir`; returns its stdout lines parsed as JSON. */
function runConsumer(dir: string, file: string, args: string[] = []): unknown[] {
  const stdout = run(process.execPath, [file, ...args], { cwd: dir });
  return stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
}

const consumers = readmeConsumers();
let tokenizerProject: string;
let fullProject: string;
let modelDir: string;
const hfCased = path.join(repoRoot, 'packages', 'tokenizer', 'test', 'fixtures', 'hf-dirs', 'hf-cased');

beforeAll(async () => {
  await tf.setBackend('cpu');
  const packs = path.join(tmp, 'tarballs');
  fs.mkdirSync(packs);
  for (const p of PUBLIC) {
    const before = new Set(fs.readdirSync(packs));
    await pnpm(['pack', '--pack-destination', packs], p.dir);
    const made = fs.readdirSync(packs).filter((f) => !before.has(f));
    expect(made, `${p.json.name} packed one tarball`).toHaveLength(1);
    tarballs.set(p.json.name as string, path.join(packs, made[0]!));
  }
  [tokenizerProject, fullProject] = await Promise.all([
    npmProject('tokenizer-only', withDependencies('@albert-ts/tokenizer')),
    npmProject('all', [...tarballs.values(), '@tensorflow/tfjs-core@4.22.0', '@types/node@20']),
  ]);
  for (const [name, text] of consumers) {
    fs.writeFileSync(path.join(tokenizerProject, name), text);
    fs.writeFileSync(path.join(fullProject, name), text);
  }
  for (const f of fs.readdirSync(path.join(here, '..', 'consumers'))) {
    fs.copyFileSync(path.join(here, '..', 'consumers', f), path.join(fullProject, f));
  }
  fs.copyFileSync(path.join(here, '..', 'consumers', 'tokenizer.cjs'), path.join(tokenizerProject, 'tokenizer.cjs'));
  // A model directory for the pipeline consumer: a small random AlbertForMaskedLM with the fixture vocabulary.
  const tok = loadAlbertTokenizer(fixturePath('sentencepiece', 'unigram2k.model'));
  const model = createPretrainingModel(presetConfig('albert-tiny', { vocabSize: tok.vocabSize, maxPositionEmbeddings: 64 }),
    { embeddings: factorized(), objectives: [mlm()], addPoolingLayer: false, seed: 5 });
  modelDir = path.join(tmp, 'albert-mlm');
  saveHfModel(modelDir, model, { tokenizerFiles: tokenizerFiles(tok, { modelMaxLength: 64 }) });
  model.dispose();
}, 600_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the README\'s consumer scripts', () => {
  it('are all there', () => {
    expect([...consumers.keys()].sort()).toEqual(['model.mjs', 'pipeline.mjs', 'tokenizer.mjs', 'trainer.mjs']);
  });
});

describe('@albert-ts/tokenizer alone', () => {
  it('installs (with @albert-ts/errors) without TensorFlow.js and encodes text, from ESM and from CommonJS', () => {
    expect(fs.readdirSync(path.join(tokenizerProject, 'node_modules', '@albert-ts')).sort()).toEqual(['errors', 'tokenizer']);
    expect(fs.existsSync(path.join(tokenizerProject, 'node_modules', '@tensorflow'))).toBe(false);
    const want = loadAlbertTokenizer(hfCased);
    const expected = { tokens: want.tokenize('Hello world!'), inputIds: want.encode('Hello world!', 'How are you?', { maxLength: 12, truncation: true }).inputIds };
    expect(expected.tokens.join('')).toMatch(/H/); // the cased settings of the directory were applied
    expect(runConsumer(tokenizerProject, 'tokenizer.mjs', [hfCased])).toEqual([expected]);
    expect(runConsumer(tokenizerProject, 'tokenizer.cjs', [hfCased])).toEqual([expected]);
  });
});

describe('all packages together', () => {
  it('install one copy of @tensorflow/tfjs-core, a peer dependency everywhere, bundled nowhere', () => {
    const copies = run('find', [path.join(fullProject, 'node_modules'), '-path', '*/@tensorflow/tfjs-core/package.json']).trim().split('\n');
    expect(copies).toEqual([path.join(fullProject, 'node_modules', '@tensorflow', 'tfjs-core', 'package.json')]);
    for (const p of PUBLIC) {
      const name = p.json.name as string;
      const installed = path.join(fullProject, 'node_modules', ...name.split('/'));
      const dist = run('find', [path.join(installed, 'dist'), '-name', '*.js']).trim().split('\n');
      const importsTf = dist.some((f) => /from '@tensorflow\/tfjs-core'|import\('@tensorflow\/tfjs-core'\)/.test(fs.readFileSync(f, 'utf8')));
      const peers = (p.json.peerDependencies ?? {}) as Record<string, string>;
      expect(((p.json.dependencies ?? {}) as Record<string, string>)['@tensorflow/tfjs-core'], name).toBeUndefined();
      expect(peers['@tensorflow/tfjs-core'], `${name} imports tfjs-core: a peer dependency`).toBe(importsTf ? '4.22.0' : undefined);
      // No copy of tfjs-core inside a tarball (backends ships tfjs-backend-wasm's .wasm binaries for browsers).
      const files = run('tar', ['-tzf', tarballs.get(name)!]).split('\n');
      expect(files.filter((f) => /tfjs-core|tf-core|node_modules/.test(f)), `${name} ships no copy of tfjs-core`).toEqual([]);
    }
    // @albert-ts/tokenizer is the one package without TensorFlow.js
    expect(PUBLIC.filter((p) => !('@tensorflow/tfjs-core' in ((p.json.peerDependencies ?? {}) as object))).map((p) => p.json.name))
      .toEqual(['@albert-ts/errors', '@albert-ts/sharing', '@albert-ts/tokenizer']);
  });

  it('model.mjs: a model on wasm with the sharing strategy swapped by one argument', () => {
    const out = runConsumer(fullProject, 'model.mjs') as { sharing: string; parameters: number; shape: number[] }[];
    const config = presetConfig('albert-tiny');
    expect(out).toEqual([allShared(), sharedAttention()].map((sharing) => ({
      sharing: sharing.name, parameters: countParams(config, { embeddings: factorized(), sharing }).total,
      shape: [1, 5, config.hiddenSize],
    })));
  });

  it('trainer.mjs: a few LAMB steps on a user-built model', () => {
    const out = runConsumer(fullProject, 'trainer.mjs') as { step: number; loss: number }[];
    expect(out.map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    for (const r of out) expect(Number.isFinite(r.loss)).toBe(true);
    expect(out[4]!.loss).toBeLessThan(out[0]!.loss);
  });

  it('pipeline.mjs: fill-mask on a directory gives what the workspace pipeline gives', async () => {
    const [got] = runConsumer(fullProject, 'pipeline.mjs', [modelDir]) as FillMaskResult[][];
    const unmask = await pipeline('fill-mask', modelDir);
    const want = await unmask('The capital of France is [MASK].', { top_k: 3 }) as FillMaskResult[];
    unmask.dispose();
    expect(got!.map((r) => [r.token, r.token_str, r.sequence])).toEqual(want.map((r) => [r.token, r.token_str, r.sequence]));
    got!.forEach((r, i) => expect(r.score).toBeCloseTo(want[i]!.score, 5));
  });

  it('CommonJS: require() of the model packages and the pipelines works', () => {
    const [model, predictions] = runConsumer(fullProject, 'model.cjs', [modelDir]) as [{ parameters: number }, FillMaskResult[]];
    expect(model.parameters).toBe(countParams(presetConfig('albert-tiny'), { embeddings: factorized(), sharing: allShared() }).total);
    expect(predictions).toHaveLength(3);
  });

  it('tsc --noEmit resolves every type of the consumer files (ESM, CommonJS, type-only)', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const files = [...consumers.keys(), 'tokenizer.cjs', 'model.cjs', 'types.mts'];
    run(process.execPath, [tsc, '--noEmit', '--strict', '--allowJs', '--checkJs', '--skipLibCheck', 'false',
      '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom',
      ...files], { cwd: fullProject });
  });
});

describe('package metadata', () => {
  it('publint reports nothing for any package', async () => {
    for (const p of PUBLIC) {
      const tarball = fs.readFileSync(tarballs.get(p.json.name as string)!);
      const { messages } = await publint({ pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) }, level: 'suggestion' });
      expect(messages, `${p.json.name}`).toEqual([]);
    }
  });

  it('arethetypeswrong (ESM-only profile) reports nothing for any package', () => {
    const attw = path.join(path.dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js');
    for (const p of PUBLIC) {
      let json: string;
      try {
        json = execFileSync(process.execPath, [attw, tarballs.get(p.json.name as string)!, '--profile', 'esm-only', '--format', 'json', '--no-definitely-typed'], { encoding: 'utf8' });
      } catch (err) {
        json = (err as { stdout: string }).stdout;
      }
      // The profile for ESM-only packages: CommonJS resolution (node10, node16 from CJS) is not analysed; Node
      // >= 20.19 require()s these ES modules (tested above), TypeScript's node16 CJS mode does not model that.
      const result = JSON.parse(json) as { analysis: { problems: { resolutionKind?: string }[] } };
      const problems = result.analysis.problems.filter((x) => x.resolutionKind !== 'node10' && x.resolutionKind !== 'node16-cjs');
      expect(problems, `${p.json.name}`).toEqual([]);
    }
  });

  it('sideEffects: false except core\'s gradient registration', () => {
    for (const p of PUBLIC) {
      // The entry that imports the registration is listed too: bundlers (Rollup, so Vite) drop the side-effect
      // imports of a module marked side-effect free whose own code is unused, as a re-exporting index is.
      if (p.json.name === '@albert-ts/core') {
        expect(p.json.sideEffects).toEqual([
          './dist/index.js', './src/index.ts', './dist/tf/register-gradients.generated.js', './src/tf/register-gradients.generated.ts',
        ]);
      } else {
        expect(p.json.sideEffects, `${p.json.name}`).toBe(false);
      }
    }
  });

  it('changesets: a version plan for exactly the public packages, and a CHANGELOG for each', () => {
    // A copy of the workspace manifests and changesets, as a git repository on main (changeset status reads git).
    const copy = path.join(tmp, 'changesets');
    for (const rel of ['package.json', 'pnpm-workspace.yaml', '.changeset']) fs.cpSync(path.join(repoRoot, rel), path.join(copy, rel), { recursive: true });
    const workspaceDirs = [...fs.readFileSync(path.join(repoRoot, 'pnpm-workspace.yaml'), 'utf8').matchAll(/^\s*-\s*"([^"]+)"/gm)]
      .flatMap(([, glob]) => (glob!.endsWith('/*')
        ? fs.readdirSync(path.join(repoRoot, glob!.slice(0, -2))).map((d) => path.join(glob!.slice(0, -2), d))
        : [glob!]))
      .filter((rel) => fs.existsSync(path.join(repoRoot, rel, 'package.json')));
    for (const rel of workspaceDirs) {
      fs.cpSync(path.join(repoRoot, rel, 'package.json'), path.join(copy, rel, 'package.json'));
    }
    const git = (...args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: copy });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'copy');
    const changeset = path.join(path.dirname(require.resolve('@changesets/cli/package.json')), 'bin.js');
    run(process.execPath, [changeset, 'status', '--output', 'plan.json'], { cwd: copy });
    const plan = JSON.parse(fs.readFileSync(path.join(copy, 'plan.json'), 'utf8')) as { releases: { name: string; type: string }[] };
    const publicNames = PUBLIC.map((p) => p.json.name as string).sort();
    expect(plan.releases.filter((r) => r.type !== 'none').map((r) => r.name).sort()).toEqual(publicNames);
    for (const r of plan.releases) expect(['major', 'minor', 'patch', 'none'], r.name).toContain(r.type);
    run(process.execPath, [changeset, 'version'], { cwd: copy });
    for (const p of PUBLIC) {
      const changelog = path.join(copy, 'packages', path.basename(p.dir), 'CHANGELOG.md');
      expect(fs.readFileSync(changelog, 'utf8'), `${p.json.name}`).toMatch(new RegExp(`^# ${p.json.name}\\n\\n## \\d+\\.\\d+\\.\\d+`));
    }
    for (const rel of workspaceDirs) {
      const json = JSON.parse(fs.readFileSync(path.join(copy, rel, 'package.json'), 'utf8')) as { private?: boolean };
      if (json.private === true) expect(fs.existsSync(path.join(copy, rel, 'CHANGELOG.md')), rel).toBe(false);
    }
  });
});
