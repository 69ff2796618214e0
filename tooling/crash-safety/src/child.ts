// A program under test, run as a child process (`node <script> <args>`) whose output is kept, and which the caller
// may end with SIGKILL at any moment.
import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from './paths.js';

/** How a child ended. */
export interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when this tool killed it. */
  readonly killed: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** A running child. */
export interface Launched {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly done: Promise<Outcome>;
  /** Output so far. */
  stderr(): string;
  /** SIGKILL (a crash: no handler runs, nothing is flushed or cleaned). */
  kill(): void;
}

/** Starts `node <args>` in the repository root with extra environment variables. */
export function launch(args: readonly string[], env: Readonly<Record<string, string>> = {}): Launched {
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let killed = false;
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<Outcome>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, killed, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
  return {
    child, pid: child.pid ?? -1, done, stderr: () => stderr,
    kill: () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killed = true;
      child.kill('SIGKILL');
    },
  };
}

/** Runs `node <args>` to the end. */
export function run(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Outcome> {
  return launch(args, env).done;
}

/** The last non-empty line of a program's stderr (its one-line error), for messages. */
export function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
