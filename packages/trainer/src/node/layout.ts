import fs from 'node:fs';
import path from 'node:path';
import type { HfFiles } from '@albert-ts/core';
import { fsyncDir, writeFileAtomicSync, writeFileDurable } from '@albert-ts/core/node';
import { CheckpointSaveError } from '../errors.js';
import { errnoParts } from './errno.js';

/** Sub-directory of a run's out dir that holds the checkpoints. */
export const CHECKPOINTS_DIR = 'checkpoints';
/** Pointer file (in the out dir) naming the newest complete checkpoint. */
export const LATEST_FILE = 'latest';
const PREFIX = 'step-';
const TMP_PREFIX = '.tmp-';

/** Directory name of the checkpoint taken after `step` optimizer steps. */
export function checkpointName(step: number): string {
  return `${PREFIX}${String(step).padStart(8, '0')}`;
}

/** Complete checkpoints under `outDir` (temp dirs excluded), oldest first, as `{ step, dir }`. */
export function listCheckpoints(outDir: string): { step: number; dir: string }[] {
  const root = path.join(outDir, CHECKPOINTS_DIR);
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root)
    .filter((n) => n.startsWith(PREFIX) && /^\d+$/.test(n.slice(PREFIX.length)))
    .map((n) => ({ step: Number(n.slice(PREFIX.length)), dir: path.join(root, n) }))
    .sort((a, b) => a.step - b.step);
}

/**
 * The newest complete checkpoint of a run, or undefined. Reads the `latest` pointer; if the pointer is missing or
 * names a directory that is gone (crash between steps), falls back to the highest-numbered complete checkpoint.
 */
export function latestCheckpoint(outDir: string): string | undefined {
  const pointer = path.join(outDir, LATEST_FILE);
  if (fs.existsSync(pointer)) {
    const name = fs.readFileSync(pointer, 'utf8').trim();
    const dir = path.join(outDir, CHECKPOINTS_DIR, name);
    if (name.startsWith(PREFIX) && fs.existsSync(path.join(dir, 'config.json'))) return dir;
  }
  const all = listCheckpoints(outDir);
  return all.length > 0 ? all[all.length - 1].dir : undefined;
}

/**
 * Resolves a model reference: an HF directory (has config.json) as is, or a run's output directory (its latest
 * checkpoint). Returns undefined when neither.
 */
export function resolveModelDir(dir: string): string | undefined {
  if (fs.existsSync(path.join(dir, 'config.json'))) return dir;
  return latestCheckpoint(dir);
}

/** How {@link writeCheckpointDir} writes one file of a checkpoint; replaceable to inject failures in tests. */
export interface CheckpointWriteOptions {
  /** Writes `bytes` to the new file `file` durably (default: write and fsync, `writeFileDurable` of core). */
  readonly writeFile?: (file: string, bytes: Uint8Array) => void;
}

/**
 * Test hook: with `ALBERT_TEST_SLOW_SAVE_MS=N` in the environment, a checkpoint write pauses N ms after each file
 * and after the rename, so that a test can kill the process in the middle of a save. Unset, it costs nothing.
 */
function slowSavePause(): void {
  const ms = Number(process.env.ALBERT_TEST_SLOW_SAVE_MS ?? 0);
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A failed write as a one-line {@link CheckpointSaveError} naming the checkpoint, the path and the errno code. */
function saveError(err: unknown, step: number, file: string): CheckpointSaveError {
  const { code, reason, path: at } = errnoParts(err, file);
  return new CheckpointSaveError(step, at, code, reason, err);
}

/**
 * Writes a checkpoint crash-safely. All files go into a fresh temp directory and are fsynced; the directory is
 * then renamed to `checkpoints/step-NNNNNNNN` (atomic), the parent fsynced, and the `latest` pointer replaced
 * atomically. Older checkpoints beyond `keep` are removed only afterwards, so a `kill -9` at any moment leaves
 * at least the previous complete checkpoint. A failed write (ENOSPC, EDQUOT, EIO, ...) removes the temp directory,
 * leaves the previous checkpoints and the `latest` pointer as they were, and throws a one-line
 * {@link CheckpointSaveError} naming the path and the errno code. Returns the checkpoint directory.
 */
export function writeCheckpointDir(outDir: string, step: number, files: HfFiles, keep = 2, options: CheckpointWriteOptions = {}): string {
  const writeFile = options.writeFile ?? writeFileDurable;
  const root = path.join(outDir, CHECKPOINTS_DIR);
  const tmp = path.join(root, `${TMP_PREFIX}${checkpointName(step)}-${process.pid}`);
  const finalDir = path.join(root, checkpointName(step));
  let current = root;
  try {
    fs.mkdirSync(root, { recursive: true });
    // Leftovers of a crashed save are incomplete by construction; remove them.
    for (const n of fs.readdirSync(root)) if (n.startsWith(TMP_PREFIX)) fs.rmSync(path.join(root, n), { recursive: true, force: true });
    current = tmp;
    fs.mkdirSync(tmp, { recursive: true });
    const subdirs = new Set<string>([tmp]);
    for (const [name, bytes] of files) {
      current = path.join(tmp, name);
      fs.mkdirSync(path.dirname(current), { recursive: true });
      subdirs.add(path.dirname(current));
      writeFile(current, bytes);
      slowSavePause();
    }
    for (const d of subdirs) {
      current = d;
      fsyncDir(d);
    }
    current = finalDir;
    if (fs.existsSync(finalDir)) {
      // The same step saved twice (a signal right after a periodic save): the state is identical, keep the first
      // (replacing it would open a window with no complete checkpoint for this step).
      fs.rmSync(tmp, { recursive: true, force: true });
    } else {
      fs.renameSync(tmp, finalDir);
    }
    current = root;
    fsyncDir(root);
    slowSavePause();
    current = path.join(outDir, LATEST_FILE);
    writeFileAtomicSync(current, checkpointName(step) + '\n');
  } catch (err) {
    try {
      fs.rmSync(tmp, { recursive: true, force: true });
    } catch {
      // the original failure is the one to report
    }
    throw saveError(err, step, current);
  }
  const all = listCheckpoints(outDir);
  for (const c of all.slice(0, Math.max(0, all.length - keep))) {
    if (c.dir !== finalDir) fs.rmSync(c.dir, { recursive: true, force: true });
  }
  return finalDir;
}
