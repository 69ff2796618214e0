#!/usr/bin/env node
// On-demand fuzzing: runs the fast-check property of one parser (or all) for N cases and prints the count and the
// time. The properties are the packages' own `test/fuzz.test.ts` (CI runs a few thousand cases of each).
//   corepack pnpm fuzz --parser safetensors --runs 100000 [--seed S]
//   corepack pnpm fuzz --parser all --runs 20000
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Parser name -> the package whose test/fuzz.test.ts fuzzes it. */
const PARSERS = {
  safetensors: 'packages/core',
  config: 'packages/core',
  'spm-model': 'packages/tokenizer',
  'tokenizer-json': 'packages/tokenizer',
  corpus: 'packages/data',
  jsonl: 'apps/cli',
  'inputs-json': 'apps/cli',
  'cli-args': 'apps/cli',
};

const USAGE = `usage: pnpm fuzz --parser <${Object.keys(PARSERS).join('|')}|all> [--runs N] [--seed S]`;

function fail(message) {
  process.stderr.write(`fuzz: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let opts;
try {
  opts = parseArgs({ options: { parser: { type: 'string' }, runs: { type: 'string', default: '100000' }, seed: { type: 'string' }, help: { type: 'boolean' } } }).values;
} catch (err) {
  fail(err.message.split('\n')[0]);
}
if (opts.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (opts.parser === undefined) fail('missing --parser');
const names = opts.parser === 'all' ? Object.keys(PARSERS) : [opts.parser];
for (const n of names) if (!(n in PARSERS)) fail(`unknown parser '${n}'`);
const runs = Number(opts.runs);
if (!Number.isSafeInteger(runs) || runs < 1) fail(`--runs must be a positive integer, got '${opts.runs}'`);
if (opts.seed !== undefined && !/^-?\d+$/.test(opts.seed)) fail(`--seed must be an integer, got '${opts.seed}'`);

/** Runs one parser's property in its package; resolves to its report, or to a failure with vitest's output. */
function fuzzOne(name) {
  const report = path.join(os.tmpdir(), `albert-fuzz-${process.pid}-${name}.jsonl`);
  fs.rmSync(report, { force: true });
  // A case that never returns cannot be interrupted in-process: the whole run gets a wall-clock limit.
  const limitMs = Math.max(600_000, runs * 40);
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', 'test/fuzz.test.ts'], {
      cwd: path.join(root, PARSERS[name]),
      env: { ...process.env, FUZZ_PARSER: name, FUZZ_RUNS: String(runs), FUZZ_REPORT: report, ...(opts.seed ? { FUZZ_SEED: opts.seed } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; process.kill(-child.pid, 'SIGKILL'); }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = fs.existsSync(report) ? fs.readFileSync(report, 'utf8').trim().split('\n').filter(Boolean) : [];
      fs.rmSync(report, { force: true });
      const reports = lines.map((l) => JSON.parse(l)).filter((r) => r.parser === name);
      const result = reports.find((r) => r.failure === undefined);
      const failure = reports.find((r) => r.failure !== undefined)?.failure;
      resolve({ name, ok: code === 0 && result !== undefined, timedOut, result, failure, output });
    });
  });
}

const mib = (b) => `${(b / 2 ** 20).toFixed(2)} MiB`;
let failed = 0;
for (const name of names) {
  const started = Date.now();
  process.stdout.write(`${name}: ${runs} cases ...\n`);
  const r = await fuzzOne(name);
  const wall = ((Date.now() - started) / 1000).toFixed(1);
  if (r.ok) {
    const { ms, rejected, largestAllocation: a } = r.result;
    process.stdout.write(`${name}: ${r.result.runs} cases in ${(ms / 1000).toFixed(1)} s (${wall} s with start-up), ` +
      `0 failures; ${rejected} rejected with a typed one-line error; largest allocation ${mib(a.bytes)} ` +
      `for a ${mib(a.inputBytes)} input\n`);
  } else {
    failed++;
    const plain = r.output.replace(/\x1b\[[0-9;]*m/g, '');
    const why = r.timedOut ? 'no result within the time limit (a hang?)' : 'FAILED';
    // The property's own report (seed and path reproduce it: --seed), else what the test runner printed.
    const details = r.failure ?? plain.split('\n').filter((l) => /property failed|unexpected|error|FAIL/i.test(l)).slice(0, 12).join('\n');
    process.stdout.write(`${name}: ${why} after ${wall} s\n${details}\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
