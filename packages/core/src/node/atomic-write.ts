// Crash-safe file replacement for Node: write a temp file in the same directory, fsync it, rename it over the
// target, then fsync the directory so the rename itself is durable. Readers see the old file or the new one,
// never a partial write.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  return path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Errors that mean "this platform or file system cannot fsync a directory": safe to ignore. */
function isDirSyncUnsupported(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL' || code === 'EACCES' || code === 'ENOTSUP';
}

/**
 * What writing `target` replaces. A regular file (or nothing yet) is replaced atomically, through its real path
 * when `target` is a symbolic link, so that the link survives. Anything else that exists (a device such as
 * /dev/null or /dev/stdout, a FIFO, a socket) is written in place: renaming over it would replace the device
 * itself, which for root turns /dev/null into a regular file for the whole machine.
 */
function resolveTarget(target: string): { file: string; inPlace: boolean } {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(target);
  } catch {
    return { file: target, inPlace: false };
  }
  if (stats.isFile()) return { file: fs.realpathSync(target), inPlace: false };
  return { file: target, inPlace: !stats.isDirectory() };
}

/**
 * Atomically replaces `target` with `data`: writes `.<name>.<pid>.<random>.tmp` beside it, fsyncs, renames it over
 * `target`, and fsyncs the directory. On failure the temp file is removed and `target` is left as it was.
 * The directory must exist. A target that is a device or a FIFO is written in place.
 */
export async function writeFileAtomic(destination: string, data: Uint8Array | string): Promise<void> {
  const { file: target, inPlace } = resolveTarget(destination);
  if (inPlace) return fsp.writeFile(target, data);
  const tmp = tempPathFor(target);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(tmp, 'wx', 0o644);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, target);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDirectory(path.dirname(target));
}

/** Synchronous {@link writeFileAtomic}. */
export function writeFileAtomicSync(destination: string, data: Uint8Array | string): void {
  const { file: target, inPlace } = resolveTarget(destination);
  if (inPlace) return fs.writeFileSync(target, data);
  const tmp = tempPathFor(target);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* already failing */ }
    }
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  syncDirectorySync(path.dirname(target));
}

/**
 * Writes `bytes` to a new or truncated `file` and fsyncs it before closing: the file is complete on disk when this
 * returns (for files inside a temp directory that is renamed into place as a whole, see the trainer's checkpoints).
 */
export function writeFileDurable(file: string, bytes: Uint8Array | string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** fsyncs a directory so that renames and new entries in it survive a crash (no-op where unsupported). */
export function fsyncDir(dir: string): void {
  syncDirectorySync(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    if (!isDirSyncUnsupported(err)) throw err;
  } finally {
    await handle?.close();
  }
}

function syncDirectorySync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    if (!isDirSyncUnsupported(err)) throw err;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
