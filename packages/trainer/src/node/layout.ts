import fs from 'node:fs';
import path from 'node:path';
import type { HfFiles } from '@albert-ts/core';
import { fsyncDir, writeFileAtomicSync, writeFileDurable } from '@albert-ts/core/node';

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

/**
 * Writes a checkpoint crash-safely. All files go into a fresh temp directory and are fsynced; the directory is
 * then renamed to `checkpoints/step-NNNNNNNN` (atomic), the parent fsynced, and the `latest` pointer replaced
 * atomically. Older checkpoints beyond `keep` are removed only afterwards, so a `kill -9` at any moment leaves
 * at least the previous complete checkpoint. Returns the checkpoint directory.
 */
export function writeCheckpointDir(outDir: string, step: number, files: HfFiles, keep = 2): string {
  const root = path.join(outDir, CHECKPOINTS_DIR);
  fs.mkdirSync(root, { recursive: true });
  // Leftovers of a crashed save are incomplete by construction; remove them.
  for (const n of fs.readdirSync(root)) if (n.startsWith(TMP_PREFIX)) fs.rmSync(path.join(root, n), { recursive: true, force: true });
  const tmp = path.join(root, `${TMP_PREFIX}${checkpointName(step)}-${process.pid}`);
  fs.mkdirSync(tmp, { recursive: true });
  const finalDir = path.join(root, checkpointName(step));
  const subdirs = new Set<string>([tmp]);
  for (const [name, bytes] of files) {
    const target = path.join(tmp, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    subdirs.add(path.dirname(target));
    writeFileDurable(target, bytes);
  }
  for (const d of subdirs) fsyncDir(d);
  if (fs.existsSync(finalDir)) {
    // The same step saved twice (a signal right after a periodic save): the state is identical, keep the first
    // (replacing it would open a window with no complete checkpoint for this step).
    fs.rmSync(tmp, { recursive: true, force: true });
  } else {
    fs.renameSync(tmp, finalDir);
  }
  fsyncDir(root);
  writeFileAtomicSync(path.join(outDir, LATEST_FILE), checkpointName(step) + '\n');
  const all = listCheckpoints(outDir);
  for (const c of all.slice(0, Math.max(0, all.length - keep))) {
    if (c.dir !== finalDir) fs.rmSync(c.dir, { recursive: true, force: true });
  }
  return finalDir;
}
