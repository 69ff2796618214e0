// Runs a program with its stdout piped straight into a separate, slow reader process, the way `cmd | slow-tool`
// runs in a shell: what the reader received is compared with what the program writes to a file.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';

/**
 * The reader: reads stdin 4 KiB at a time, sleeps after each read, stops after `limit` bytes, optionally copies
 * what it read to a file (argv: sleep ms, limit, copy path or '').
 */
const READER = `
import fs from 'node:fs';
import { createHash } from 'node:crypto';
const [sleepMs, limit, copy] = [Number(process.argv[1]), Number(process.argv[2]), process.argv[3]];
const copyFd = copy ? fs.openSync(copy, 'w') : undefined;
const buf = Buffer.alloc(4096);
const hash = createHash('sha256');
const pause = new Int32Array(new SharedArrayBuffer(4));
let bytes = 0;
while (bytes < limit) {
  let n;
  try { n = fs.readSync(0, buf, 0, Math.min(buf.length, limit - bytes), null); }
  catch (e) { if (e.code === 'EAGAIN') { Atomics.wait(pause, 0, 0, 1); continue; } throw e; }
  if (n === 0) break;
  hash.update(buf.subarray(0, n));
  if (copyFd !== undefined) fs.writeSync(copyFd, buf, 0, n);
  bytes += n;
  if (sleepMs > 0) Atomics.wait(pause, 0, 0, sleepMs);
}
process.stdout.write(bytes + ' ' + hash.digest('hex'));
`;

/** What a run produced: the program's exit, its stderr, and the bytes (count and SHA-256) of its stdout. */
export interface PipedRun {
  /** Exit code of the program (null if it was killed by a signal). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  bytes: number;
  sha256: string;
}

/** Options of {@link runPiped} and {@link runToFile}. */
export interface PipeOptions {
  /** File fed to the program's stdin (default: an empty stdin). */
  stdin?: string;
  cwd?: string;
  /** The reader sleeps this long after each 4 KiB read (default 1 ms). */
  sleepMs?: number;
  /** The reader exits after this many bytes, closing the pipe early (default: read everything). */
  closeAfterBytes?: number;
  /** The reader also writes what it read to this file. */
  saveTo?: string;
  /** Kill both processes after this long (default 60 s). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

function stdinOf(options: PipeOptions): number | 'ignore' {
  return options.stdin === undefined ? 'ignore' : fs.openSync(options.stdin, 'r');
}

/**
 * Runs `node <args>` with its stdout piped into a reader process that reads 4 KiB at a time and sleeps
 * `sleepMs` after each read (the pipe goes from one child to the other; this process never buffers it).
 */
export function runPiped(args: string[], options: PipeOptions = {}): Promise<PipedRun> {
  const stdin = stdinOf(options);
  const program = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: [stdin, 'pipe', 'pipe'] });
  const reader = spawn(process.execPath,
    ['--input-type=module', '-e', READER, String(options.sleepMs ?? 1), String(options.closeAfterBytes ?? Infinity),
      options.saveTo ?? ''],
    { stdio: [program.stdout, 'pipe', 'inherit'] });
  if (typeof stdin === 'number') fs.closeSync(stdin);
  program.stdout!.destroy(); // the reader holds the pipe now; this process must not read from it
  let stderr = '';
  program.stderr!.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  let report = '';
  reader.stdout!.setEncoding('utf8').on('data', (s: string) => { report += s; });
  const timer = setTimeout(() => { program.kill('SIGKILL'); reader.kill('SIGKILL'); }, options.timeoutMs ?? 60_000);
  const exited = (p: typeof program) => new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    p.on('close', (code, signal) => resolve([code, signal]));
  });
  return Promise.all([exited(program), exited(reader)]).then(([[code, signal]]) => {
    clearTimeout(timer);
    const [bytes, sha256] = report.split(' ');
    return { code, signal, stderr, bytes: Number(bytes), sha256: sha256 ?? '' };
  });
}

/** Runs `node <args>` with stdout redirected to a file (the reference: file writes are never lost); a device such
 * as /dev/full reads back as 0 bytes. */
export function runToFile(args: string[], file: string, options: PipeOptions = {}): Promise<PipedRun> {
  const stdin = stdinOf(options);
  const out = fs.openSync(file, 'w');
  const program = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: [stdin, out, 'pipe'] });
  if (typeof stdin === 'number') fs.closeSync(stdin);
  fs.closeSync(out);
  let stderr = '';
  program.stderr!.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  const timer = setTimeout(() => program.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve) => {
    program.on('close', (code, signal) => {
      clearTimeout(timer);
      const data = fs.statSync(file).isFile() ? fs.readFileSync(file) : Buffer.alloc(0); // e.g. /dev/full
      resolve({ code, signal, stderr, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    });
  });
}
