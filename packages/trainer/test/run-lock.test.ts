import { type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnTs } from '@albert-ts/testing';
import { LOCK_FILE, RunLockedError, acquireRunLock, withRunLock } from '../src/node/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'albert-lock-'));
const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
};

/** Starts a process holding the lock of `dir`; resolves once it holds it. */
async function lockHolder(dir: string): Promise<ChildProcess> {
  const child = spawnTs(path.join(here, 'helpers', 'lock-holder.ts'), { LOCK_DIR: dir }, path.dirname(here));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('locked')) resolve(); });
    child.once('exit', (code) => reject(new Error(`lock holder exited (${code}): ${stderr}`)));
  });
  return child;
}

const exited = (child: ChildProcess) => new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));

describe('run lock', () => {
  it('refuses a second run on the same directory with a one-line error naming it and the holding pid', async () => {
    const dir = tmpDir();
    const child = await lockHolder(dir);
    try {
      const err = thrown(() => acquireRunLock(dir));
      expect(err).toBeInstanceOf(RunLockedError);
      expect(err.message).not.toContain('\n');
      expect(err.message).toContain(dir);
      expect(err.message).toContain(`pid ${child.pid} (lock-holder)`);
      expect((err as RunLockedError).holder?.pid).toBe(child.pid);
      // within one process too: the same directory cannot be locked twice
      const mine = acquireRunLock(path.join(dir, 'sub'));
      expect(thrown(() => acquireRunLock(path.join(dir, 'sub'))).message).toContain(`pid ${process.pid} on ${os.hostname()}`);
      mine.release();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over the lock of a run killed with SIGKILL, with a one-line note', async () => {
    const dir = tmpDir();
    const child = await lockHolder(dir);
    const gone = exited(child);
    child.kill('SIGKILL');
    expect(await gone).toBe('SIGKILL');
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true); // SIGKILL leaves it behind
    const notes: string[] = [];
    const lock = acquireRunLock(dir, { onNote: (line) => notes.push(line) });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(new RegExp(`^taking over the lock of .*: pid ${child.pid} \\(lock-holder\\) on .* left it and that process is gone$`));
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
  });

  it('releases the lock when the run ends with an error, and when SIGTERM ends a process that does not handle it', async () => {
    const dir = tmpDir();
    await expect(withRunLock(dir, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const child = await lockHolder(dir);
    const gone = exited(child);
    child.kill('SIGTERM');
    expect(await gone).toBe('SIGTERM');
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    await withRunLock(dir, async (lock) => expect(fs.existsSync(lock.file)).toBe(true));
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('judges a lock by its holder: gone pid, another host, a reboot, an unreadable file', () => {
    const dir = tmpDir();
    const file = path.join(dir, LOCK_FILE);
    const write = (x: object | string) => fs.writeFileSync(file, typeof x === 'string' ? x : JSON.stringify(x));
    const base = { pid: 424242, hostname: os.hostname(), started: '2024-01-01T00:00:00.000Z' };
    write(base);
    expect(thrown(() => acquireRunLock(dir, { isAlive: () => true }))).toBeInstanceOf(RunLockedError);
    acquireRunLock(dir, { isAlive: () => false }).release();
    write({ ...base, hostname: 'elsewhere' });
    expect(thrown(() => acquireRunLock(dir, { isAlive: () => false })).message).toContain(`cannot be checked from here: delete ${file}`);
    write({ ...base, bootId: 'an-earlier-boot' });
    const notes: string[] = [];
    const hasBootId = fs.existsSync('/proc/sys/kernel/random/boot_id');
    const lock = acquireRunLock(dir, { isAlive: () => !hasBootId, onNote: (n) => notes.push(n) });
    expect(notes[0]).toContain(hasBootId ? 'the machine has rebooted since' : 'that process is gone');
    lock.release();
    write(''); // a writer that died between creating and filling it: left alone while young, taken over when old
    expect(thrown(() => acquireRunLock(dir)).message).toContain('still creating its lock file');
    fs.utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    acquireRunLock(dir).release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
