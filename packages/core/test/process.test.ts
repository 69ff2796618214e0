import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPiped, runToFile } from '@albert-ts/testing';
import { EXIT_OUTPUT_CLOSED, OutputClosedError, outputFailure, writeOutput } from '../src/node/process.js';

/** A writable that accepts `capacity` bytes per `release()` call, like a pipe whose reader is slow. */
function slowSink(highWaterMark: number): { stream: Writable; received: Buffer[]; release: () => void } {
  const received: Buffer[] = [];
  const waiting: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, cb) {
      received.push(chunk);
      waiting.push(() => cb());
    },
  });
  return { stream, received, release: () => { for (const cb of waiting.splice(0)) cb(); } };
}

describe('writeOutput', () => {
  it('waits while the stream is full and delivers every chunk in order', async () => {
    const sink = slowSink(8);
    let resolved = false;
    const first = writeOutput('0123456789', sink.stream).then(() => { resolved = true; });
    await new Promise((r) => setTimeout(r, 20));
    expect(resolved).toBe(false); // over the high-water mark: waits for 'drain'
    sink.release();
    await first;
    for (let i = 0; i < 50; i++) {
      const w = writeOutput(`line ${i}\n`, sink.stream);
      setImmediate(sink.release);
      await w;
    }
    expect(Buffer.concat(sink.received).toString()).toBe('0123456789' + Array.from({ length: 50 }, (_, i) => `line ${i}\n`).join(''));
  });

  it('turns EPIPE into OutputClosedError, also for a write that was waiting, and for every later write', async () => {
    const sink = slowSink(4);
    const waiting = writeOutput('more than four bytes', sink.stream);
    sink.stream.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    const err = await waiting.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputClosedError);
    expect((err as OutputClosedError).code).toBe('EPIPE');
    expect(outputFailure(sink.stream)).toBe('EPIPE');
    await expect(writeOutput('x', sink.stream)).rejects.toThrow(/reader closed the output early/);
  });

  it('reports other errors (ENOSPC) by code', async () => {
    const stream = new Writable({ write(_c, _e, cb) { cb(Object.assign(new Error('no space'), { code: 'ENOSPC' })); } });
    await writeOutput('a', stream).catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    expect(outputFailure(stream)).toBe('ENOSPC');
    await expect(writeOutput('b', stream)).rejects.toThrow('cannot write the output: ENOSPC');
  });
});

describe('runMain in a real process (the built module)', () => {
  const dist = fileURLToPath(new URL('../dist/node/process.js', import.meta.url));
  let tmp: string;
  beforeAll(() => {
    if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: build the package first (pnpm build)`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-run-main-'));
  });
  afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

  /** Writes a program that calls runMain with `body` as main; returns its path. */
  function program(name: string, body: string): string {
    const file = path.join(tmp, `${name}.mjs`);
    fs.writeFileSync(file, `import { runMain, writeOutput } from ${JSON.stringify(pathToFileURL(dist).href)};
void runMain('prog', async () => { ${body} });\n`);
    return file;
  }

  const line = `${'x'.repeat(99)}\n`; // 100 bytes
  it('a slow pipe reader gets all 10 MB even from plain process.stdout.write calls that nobody awaits', async () => {
    const file = program('plain', `for (let i = 0; i < 100000; i++) process.stdout.write(${JSON.stringify(line)}); return 3;`);
    const r = await runPiped([file], { sleepMs: 1 });
    expect({ code: r.code, signal: r.signal, stderr: r.stderr, bytes: r.bytes }).toEqual({ code: 3, signal: null, stderr: '', bytes: 10_000_000 });
  });

  it('writeOutput with backpressure: all 10 MB, exit 0; the reader closing early: exit 141, silent', async () => {
    const file = program('awaited', `for (let i = 0; i < 1000; i++) await writeOutput(${JSON.stringify(line)}.repeat(100)); return 0;`);
    const all = await runPiped([file], { sleepMs: 1 });
    expect({ code: all.code, stderr: all.stderr, bytes: all.bytes }).toEqual({ code: 0, stderr: '', bytes: 10_000_000 });
    const early = await runPiped([file], { closeAfterBytes: 5000 });
    expect({ code: early.code, signal: early.signal, stderr: early.stderr, bytes: early.bytes })
      .toEqual({ code: EXIT_OUTPUT_CLOSED, signal: null, stderr: '', bytes: 5000 });
  });

  it('an unexpected error is one line and exit 1; a full stdout is one line and exit 1 even if main returned 0', async () => {
    const thrower = program('throws', `await writeOutput('partial\\n'); throw new RangeError('boom\\n  at somewhere');`);
    const r = await runPiped([thrower]);
    expect({ code: r.code, stderr: r.stderr, bytes: r.bytes }).toEqual({ code: 1, stderr: 'prog: boom\n', bytes: 8 });
    if (fs.existsSync('/dev/full')) {
      const full = await runToFile([program('full', `process.stdout.write('x'.repeat(100)); return 0;`)], '/dev/full');
      expect({ code: full.code, stderr: full.stderr }).toEqual({ code: 1, stderr: 'prog: cannot write to stdout: ENOSPC\n' });
    }
  });
});
