// One run per output directory: a lock file (`<dir>/.lock`: pid, hostname, boot id, start time) created atomically
// with O_EXCL, removed when the run ends (normally, by an error, or by a signal), and taken over, with a note, when
// the run that left it is gone (killed with SIGKILL, or the machine rebooted).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TrainerError } from '../errors.js';

/** Name of the lock file a run keeps in its output directory while it runs. */
export const LOCK_FILE = '.lock';

/** What a lock file records about the run holding it. */
export interface RunLockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** Linux boot id (`/proc/sys/kernel/random/boot_id`), so that a lock from before a reboot is never taken as live. */
  readonly bootId?: string;
  /** ISO time the lock was taken. */
  readonly started: string;
  /** What took it (e.g. `pretrain`). */
  readonly label?: string;
}

/** The directory is held by another run that is still alive (or cannot be checked: another host). */
export class RunLockedError extends TrainerError {
  override readonly name = 'RunLockedError';

  constructor(readonly dir: string, readonly holder: RunLockHolder | undefined, message: string) {
    super(message, { field: 'out', value: dir });
  }
}

/** A held lock. */
export interface RunLock {
  /** The locked directory (absolute). */
  readonly dir: string;
  /** The lock file. */
  readonly file: string;
  /** Removes the lock file if it is still this run's. Idempotent. */
  release(): void;
}

/** Options of {@link acquireRunLock}. */
export interface RunLockOptions {
  /** Receives the one-line note written when a stale lock is taken over. */
  readonly onNote?: (line: string) => void;
  /** What holds the lock, recorded in the file and named in the refusal (e.g. `pretrain`). */
  readonly label?: string;
  /** Whether a process is alive (default: `process.kill(pid, 0)`, ESRCH = gone); for tests. */
  readonly isAlive?: (pid: number) => boolean;
}

/** An unreadable lock file (its writer died between creating and filling it) younger than this is left alone. */
const UNREADABLE_GRACE_MS = 10_000;
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function bootId(): string | undefined {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH'; // EPERM: alive, another user's
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function parseHolder(text: string): RunLockHolder | undefined {
  try {
    const h = JSON.parse(text) as RunLockHolder;
    return Number.isInteger(h?.pid) && h.pid > 0 && typeof h.hostname === 'string' && typeof h.started === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

function describe(h: RunLockHolder): string {
  return `pid ${h.pid}${h.label ? ` (${h.label})` : ''} on ${h.hostname}, started ${h.started}`;
}

/** Why a lock is stale, or undefined when its holder may still be running. */
function staleness(file: string, holder: RunLockHolder | undefined, isAlive: (pid: number) => boolean): string | undefined {
  if (holder === undefined) {
    let age = 0;
    try {
      age = Date.now() - fs.statSync(file).mtimeMs;
    } catch {
      return 'it is gone';
    }
    return age > UNREADABLE_GRACE_MS ? 'the lock file is unreadable and old' : undefined;
  }
  if (holder.hostname !== os.hostname()) return undefined; // another machine's process cannot be checked from here
  const boot = bootId();
  if (holder.bootId !== undefined && boot !== undefined && holder.bootId !== boot) return 'the machine has rebooted since';
  if (holder.pid === process.pid) return undefined; // this very process holds it
  return isAlive(holder.pid) ? undefined : 'that process is gone';
}

function refusal(dir: string, file: string, holder: RunLockHolder | undefined): RunLockedError {
  if (holder === undefined) {
    return new RunLockedError(dir, undefined, `${dir} is in use by another run that is still creating its lock file ${file}; try again in a few seconds`);
  }
  const where = holder.hostname !== os.hostname()
    ? `; that host cannot be checked from here: delete ${file} if that run is gone`
    : holder.pid === process.pid ? ' (this process)' : '; wait for it to finish or stop it';
  return new RunLockedError(dir, holder, `${dir} is in use by another run: ${describe(holder)} (lock file ${file})${where}`);
}

/** Creates `file` with `text` if it does not exist (O_EXCL); false when it exists. */
function createExclusive(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/**
 * Takes the lock of run directory `dir` (created if missing): `<dir>/.lock` is created atomically (O_EXCL) with this
 * process's pid, hostname, boot id and start time. If another live run holds it, throws a one-line
 * {@link RunLockedError} naming the directory and the holder's pid. A lock whose process is gone (SIGKILL, a crash, a
 * reboot) is taken over, after a one-line note to `onNote`. The lock is released by `release()`, and also when the
 * process exits or is ended by SIGINT/SIGTERM/SIGHUP that nothing else handles.
 */
export function acquireRunLock(dir: string, options: RunLockOptions = {}): RunLock {
  const abs = path.resolve(dir);
  const file = path.join(abs, LOCK_FILE);
  const isAlive = options.isAlive ?? processAlive;
  try {
    fs.mkdirSync(abs, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new TrainerError(`${abs}: cannot create the run directory (${code})`, { field: 'out', value: abs, cause: e });
  }
  const mine: RunLockHolder = {
    pid: process.pid, hostname: os.hostname(), ...(bootId() !== undefined ? { bootId: bootId() } : {}),
    started: new Date().toISOString(), ...(options.label !== undefined ? { label: options.label } : {}),
  };
  const text = `${JSON.stringify(mine)}\n`;
  let tookOver: string | undefined;
  for (let attempt = 0; ; attempt++) {
    if (createExclusive(file, text)) break;
    const seen = readText(file);
    if (seen === undefined) continue; // released (or taken over and released) meanwhile: try again
    const holder = parseHolder(seen);
    const why = staleness(file, holder, isAlive);
    if (why === undefined || attempt >= 8) throw refusal(abs, file, holder);
    // Move the stale file aside (atomic), then make sure what moved is the file judged stale: another process may
    // have taken it over in between, and its fresh lock must stay.
    const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      fs.renameSync(file, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    if (readText(aside) !== seen) {
      try {
        fs.linkSync(aside, file);
      } catch {
        // a third run created one meanwhile; the next attempt reads it
      }
      fs.rmSync(aside, { force: true });
      continue;
    }
    fs.rmSync(aside, { force: true });
    tookOver = `taking over the lock of ${abs}: ${holder ? describe(holder) : 'its holder'} left it and ${why}`;
  }
  if (tookOver !== undefined) options.onNote?.(tookOver);

  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    untrack(release);
    try {
      if (readText(file) === text) fs.rmSync(file, { force: true });
    } catch {
      // the directory is gone or unreadable: nothing left to release
    }
  };
  track(release);
  return { dir: abs, file, release };
}

/** Release functions of the locks this process holds, and the process handlers installed while there are any. */
const heldLocks = new Set<() => void>();

function releaseAll(): void {
  for (const release of [...heldLocks]) release();
}

/** A signal nobody else handles ends the process without an 'exit' event: release the locks, then die of it as before. */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return; // someone handles it (e.g. stopOnSignals): the run ends normally
  releaseAll();
  process.kill(process.pid, signal);
}

function track(release: () => void): void {
  if (heldLocks.size === 0) {
    process.on('exit', releaseAll);
    for (const s of SIGNALS) process.on(s, onSignal);
  }
  heldLocks.add(release);
}

function untrack(release: () => void): void {
  heldLocks.delete(release);
  if (heldLocks.size === 0) {
    process.off('exit', releaseAll);
    for (const s of SIGNALS) process.off(s, onSignal);
  }
}

/** Runs `fn` holding the lock of `dir` ({@link acquireRunLock}); the lock is released however `fn` ends. */
export async function withRunLock<T>(dir: string, fn: (lock: RunLock) => Promise<T>, options: RunLockOptions = {}): Promise<T> {
  const lock = acquireRunLock(dir, options);
  try {
    return await fn(lock);
  } finally {
    lock.release();
  }
}
