// Output integrity of the built CLI (`node dist/bin.js`): every byte a command writes to a file also reaches a slow
// pipe reader (4 KiB reads, 1 ms sleep after each), the exit code is the command's own, and a reader that closes
// early ends the command quietly. Each streaming command writes at least 10 MB here.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, readJsonFixture, runPiped, runToFile, type PipedRun } from '@albert-ts/testing';
import { binPath } from './run-cli.js';

const TEN_MB = 10 * 1000 * 1000;
const model = fixturePath('sentencepiece', 'unigram2k.model');

let tmp: string;
beforeAll(() => {
  if (!fs.existsSync(binPath)) throw new Error(`${binPath} is missing: build the CLI first (pnpm build)`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-cli-pipe-'));
});
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

/** Deterministic text lines (mulberry32 over a small mixed-script vocabulary), as JSON Lines for tokenize. */
function tokenizeInput(lines: number): string {
  const words = ['the', 'of', 'liberty', 'congress', 'nation', 'economy', 'Ünïcödé', '日本語', 'naïve', 'war', 'peace',
    'people', "don't", '1,234.5', 'e-mail', 'ΑΒΓ'];
  let s = 12345;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const text = Array.from({ length: 60 }, () => words[Math.floor(next() * words.length)]).join(' ');
    out.push(JSON.stringify(i % 2 === 0 ? text : { text }));
  }
  return out.join('\n') + '\n';
}

/** The tiny fixture model as a directory, and 32 x 64 token ids for it (written once). */
function modelAndInputs(): { dir: string; inputs: string } {
  const dir = path.join(tmp, 'model');
  const inputs = path.join(tmp, 'inputs.json');
  if (!fs.existsSync(dir)) {
    const fx = readJsonFixture<{ config: { vocab_size: number } }>('hf-albert', 'tiny_groups.json');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(fx.config));
    fs.copyFileSync(fixturePath('hf-albert', 'tiny_groups.safetensors'), path.join(dir, 'model.safetensors'));
    const ids = Array.from({ length: 32 }, (_, b) => Array.from({ length: 64 }, (_, t) => (b * 31 + t * 7) % fx.config.vocab_size));
    fs.writeFileSync(inputs, JSON.stringify({ input_ids: ids }));
  }
  return { dir, inputs };
}

/** What `albert <argv>` writes to stdout when stdout is a file (file writes were never lost). */
async function stdoutToFile(argv: string[], stdin?: string): Promise<Buffer> {
  const file = path.join(tmp, 'reference.out');
  const r = await runToFile([binPath, ...argv], file, { stdin });
  expect(r.code, r.stderr).toBe(0);
  return fs.readFileSync(file);
}

/** Runs `albert <argv>` through the slow reader: exit 0, nothing on stderr, and exactly `expected` delivered. */
async function expectDelivered(argv: string[], expected: Buffer, stdin?: string): Promise<PipedRun> {
  const piped = await runPiped([binPath, ...argv], { stdin, sleepMs: 1 });
  expect({ code: piped.code, signal: piped.signal }).toEqual({ code: 0, signal: null });
  expect(piped.bytes).toBe(expected.length);
  expect(piped.sha256).toBe(createHash('sha256').update(expected).digest('hex'));
  return piped;
}

describe('albert output through a slow pipe reader (4 KiB reads, 1 ms sleep each)', () => {
  it('tokenize: >= 10 MB, every byte, exit 0', async () => {
    const input = path.join(tmp, 'lines.jsonl');
    fs.writeFileSync(input, tokenizeInput(9000));
    const argv = ['tokenize', '--model', model];
    const expected = await stdoutToFile(argv, input);
    expect(expected.length).toBeGreaterThanOrEqual(TEN_MB);
    expect(expected.toString('utf8').split('\n').length).toBe(9000 + 1);
    await expectDelivered(argv, expected, input);
  });

  it('forward --out -: >= 10 MB of hidden states, the JSON that --out <file> writes', async () => {
    const { dir, inputs } = modelAndInputs();
    const argv = ['forward', '--model', dir, '--inputs', inputs, '--out'];
    const outFile = path.join(tmp, 'forward.json');
    expect(await stdoutToFile([...argv, outFile])).toHaveLength(0);
    const expected = Buffer.concat([fs.readFileSync(outFile), Buffer.from('\n')]);
    expect(expected.length).toBeGreaterThanOrEqual(TEN_MB);
    await expectDelivered([...argv, '-'], expected);
  });

  it('pretraining-data --out -: >= 10 MB of instances, the bytes that --out <file> writes', async () => {
    const argv = ['pretraining-data', '--corpus', 'sotu', '--vocab', model, '--objective', 'sop', '--max-seq-length', '128',
      '--seed', '1', '--out'];
    const outFile = path.join(tmp, 'instances.jsonl');
    expect(await stdoutToFile([...argv, outFile])).toHaveLength(0);
    const expected = fs.readFileSync(outFile);
    expect(expected.length).toBeGreaterThanOrEqual(TEN_MB);
    await expectDelivered([...argv, '-'], expected);
  });

  it('forward --backend wasm: the process ends by itself with exit 0 and nothing on stderr (threads shut down)', async () => {
    const { dir, inputs } = modelAndInputs();
    const saveTo = path.join(tmp, 'wasm.json');
    const r = await runPiped([binPath, 'forward', '--model', dir, '--inputs', inputs, '--out', '-', '--backend', 'wasm'],
      { saveTo, timeoutMs: 60_000 });
    // Each wasm worker thread adds an `error` listener to stdout: a leak warning on stderr would show here.
    expect({ code: r.code, signal: r.signal, stderr: r.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect((JSON.parse(fs.readFileSync(saveTo, 'utf8')) as { hidden_states: unknown[] }).hidden_states.length).toBeGreaterThan(1);
  });

  it('params, help and usage errors: complete output and their own exit codes', async () => {
    for (const argv of [['params', '--config', 'albert-xxlarge', '--head', 'pretraining'], ['--help']]) {
      await expectDelivered(argv, await stdoutToFile(argv));
    }
    const bad = await runPiped([binPath, 'params', '--config', 'albert-base', '--sharing', 'groups:7']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^albert params: [^\n]+\n$/);
    expect(bad.bytes).toBe(0);
  });
});

describe('a reader that closes early or a stdout that fails', () => {
  it('| head -c 100: the command stops quietly with exit code 141 (SIGPIPE convention), no stack trace', async () => {
    const input = path.join(tmp, 'early.jsonl');
    fs.writeFileSync(input, tokenizeInput(3000));
    for (const [argv, stdin] of [
      [['tokenize', '--model', model], input],
      [['pretraining-data', '--corpus', 'moby-dick', '--vocab', model, '--objective', 'sop', '--max-seq-length', '64',
        '--seed', '1', '--out', '-'], undefined],
    ] as const) {
      const r = await runPiped([binPath, ...argv], { stdin, closeAfterBytes: 100 });
      expect(r.bytes).toBe(100);
      // pretraining-data's summary line is about a complete run: it must not claim one.
      expect({ code: r.code, signal: r.signal, stderr: r.stderr }).toEqual({ code: 141, signal: null, stderr: '' });
    }
  });

  it.skipIf(!fs.existsSync('/dev/full'))('stdout on a full device (ENOSPC): one line naming the error, exit 1', async () => {
    const input = path.join(tmp, 'full.jsonl');
    fs.writeFileSync(input, tokenizeInput(100));
    for (const argv of [['params', '--config', 'albert-base'], ['tokenize', '--model', model]]) {
      const r = await runToFile([binPath, ...argv], '/dev/full', { stdin: input });
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: 'albert: cannot write to stdout: ENOSPC\n' });
    }
  });
});
