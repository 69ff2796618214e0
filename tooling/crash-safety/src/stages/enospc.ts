// A disk that fills up during a checkpoint save: `albert pretrain` on a tmpfs sized to hold two checkpoints and a half
// (mounted when this process may mount; otherwise ENOSPC is injected into the writes of the save by a preloaded
// module, and the line says so). The save must fail in one line naming ENOSPC and the path, leave no partial
// directory, keep the earlier checkpoints and the latest pointer intact, and the run must resume once there is room.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CHECKPOINTS_DIR, LOCK_FILE, latestCheckpoint, listCheckpoints } from '@albert-ts/trainer/node';
import { lastLine, run } from '../child.js';
import { checkReadable } from '../checkpoints.js';
import { microConfig, pretrainArgs } from '../micro-run.js';
import type { Stage, StageResult } from '../stage.js';

const STEPS = 12;
const SAVE_EVERY = 3;

/** Bytes of the files under `dir`. */
function treeBytes(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile()).reduce((s, e) => s + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
}

/**
 * A module preloaded (`node --require`) into the CLI when no file system can be mounted: writes into a checkpoint's
 * temp directory fail with ENOSPC, as Node reports it, once they add up to ENOSPC_BUDGET bytes.
 */
const INJECT_ENOSPC = `
const fs = require('node:fs');
const budget = Number(process.env.ENOSPC_BUDGET);
const tracked = new Set();
let written = 0;
const open = fs.openSync;
fs.openSync = function (p, ...rest) {
  const fd = open.call(this, p, ...rest);
  if (String(p).includes('/.tmp-step-')) tracked.add(fd);
  return fd;
};
const count = (fd, n) => {
  if (!tracked.has(fd)) return;
  written += n;
  if (written > budget) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { errno: -28, code: 'ENOSPC', syscall: 'write' });
};
const writeFileSync = fs.writeFileSync;
fs.writeFileSync = function (f, data, ...rest) {
  if (typeof f === 'number') count(f, typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength);
  return writeFileSync.call(this, f, data, ...rest);
};
const writeSync = fs.writeSync;
fs.writeSync = function (fd, data, ...rest) {
  count(fd, typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength);
  return writeSync.call(this, fd, data, ...rest);
};
`;

/** Mounts a tmpfs of `bytes` at `dir`; the reason when it cannot. */
function mountTmpfs(dir: string, bytes: number): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.ceil(bytes / 4096) * 4}k`, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return ((e as { stderr?: Buffer }).stderr?.toString() || (e as Error).message).trim().split('\n')[0];
  }
}

export const enospcStage: Stage = async (ctx): Promise<StageResult> => {
  const config = microConfig(ctx.work);
  const probe = path.join(ctx.dir, 'probe');
  const p = await run(pretrainArgs({ config, out: probe, steps: SAVE_EVERY, saveEvery: SAVE_EVERY, evalEvery: 0 }));
  if (p.code !== 0) return { ok: false, line: `enospc: FAILED: the probe run exited ${p.code}: ${lastLine(p.stderr)}` };
  const checkpointBytes = treeBytes(latestCheckpoint(probe)!);
  const room = Math.round(2.5 * checkpointBytes);
  const disk = path.join(ctx.dir, 'disk');
  fs.mkdirSync(disk, { recursive: true });
  const mountFailure = mountTmpfs(disk, room);
  const mode = mountFailure === undefined
    ? `a ${(room / 2 ** 20).toFixed(1)} MiB tmpfs (checkpoints of ${(checkpointBytes / 2 ** 20).toFixed(2)} MiB)`
    : `mount failed (${mountFailure}), so ENOSPC was injected after ${(room / 2 ** 20).toFixed(1)} MiB of checkpoint writes instead`;
  ctx.log(`full disk: ${mode}`);
  const out = path.join(disk, 'run');
  const problems: string[] = [];
  let failedStep = -1;
  let kept: number[] = [];
  try {
    const preload = path.join(ctx.dir, 'inject-enospc.cjs');
    fs.writeFileSync(preload, INJECT_ENOSPC);
    const args = pretrainArgs({ config, out, steps: STEPS, saveEvery: SAVE_EVERY, evalEvery: 0 });
    const r = mountFailure === undefined ? await run(args) : await run(['--require', preload, ...args], { ENOSPC_BUDGET: String(room) });
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('albert pretrain:'));
    const m = /^albert pretrain: cannot save the checkpoint of step (\d+): ENOSPC \(no space left on device\) at (\S+); the previous checkpoint and the latest pointer are unchanged$/
      .exec(lines[0] ?? '');
    if (r.code !== 2) problems.push(`exit code ${r.code}, not 2`);
    if (lines.length !== 1 || m === null) problems.push(`not the one-line ENOSPC error: ${lastLine(r.stderr)}`);
    if (/^\s+at /m.test(r.stderr)) problems.push('a stack trace on stderr');
    if (m !== null) {
      failedStep = Number(m[1]);
      if (!m[2]!.includes(`${path.sep}.tmp-step-`)) problems.push(`the error names ${m[2]}, not a file of the checkpoint being written`);
    }
    const leftovers = fs.readdirSync(path.join(out, CHECKPOINTS_DIR)).filter((n) => n.startsWith('.tmp-'));
    if (leftovers.length > 0) problems.push(`partial directories left: ${leftovers.join(', ')}`);
    if (fs.existsSync(path.join(out, LOCK_FILE))) problems.push('the run lock was not released on the error');
    kept = checkReadable(out);
    if (failedStep > 0 && kept.at(-1) !== failedStep - SAVE_EVERY) problems.push(`latest checkpoint is step ${kept.at(-1)}, not ${failedStep - SAVE_EVERY}`);
    if (latestCheckpoint(out) !== listCheckpoints(out).at(-1)?.dir) problems.push('latest does not name the newest complete checkpoint');
    // Room again: the same run, copied to a disk with space, resumes from the checkpoint the failure left.
    fs.cpSync(out, path.join(ctx.dir, 'resumed'), { recursive: true });
  } finally {
    if (mountFailure === undefined) execFileSync('umount', [disk]);
  }
  const resumed = await run(pretrainArgs({ config, out: path.join(ctx.dir, 'resumed'), steps: STEPS, saveEvery: SAVE_EVERY, evalEvery: 0, resume: true }));
  if (resumed.code !== 0) problems.push(`the resume exited ${resumed.code}: ${lastLine(resumed.stderr)}`);
  else if (listCheckpoints(path.join(ctx.dir, 'resumed')).at(-1)?.step !== STEPS) problems.push('the resume did not reach the last step');
  if (problems.length > 0) return { ok: false, line: `enospc: FAILED (${mode}): ${problems.join('; ')}` };
  return {
    ok: true,
    line: `enospc: ${mode}: the save of step ${failedStep} failed with one line naming ENOSPC and the file; no partial directory, ` +
      `checkpoints ${kept.join(', ')} intact and readable, latest step ${kept.at(-1)}, lock released; resumed to step ${STEPS} once there was room`,
  };
};
