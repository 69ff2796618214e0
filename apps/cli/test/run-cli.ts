// Runs the CLI in-process (main() from the sources) or as a child process (the built dist/bin.js).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Calls `main(argv)` with stdout/stderr captured. */
export async function runMain(argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** The built CLI entry point (`pnpm test` builds it first through turbo). */
export const binPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');

/** Spawns `node dist/bin.js ...argv`. */
export function runBin(argv: string[]): CliResult {
  if (!fs.existsSync(binPath)) throw new Error(`${binPath} is missing: build the CLI first (pnpm build)`);
  const r = spawnSync(process.execPath, [binPath, ...argv], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Asserts the usual failure shape: exit code 2 and exactly one line on stderr. */
export function isOneLineUsageFailure(r: CliResult): boolean {
  return r.code === 2 && /^[^\n]+\n$/.test(r.stderr);
}
