// The run lock, as users meet it: while `albert pretrain` runs on an --out, a second pretrain, finetune, sweep or
// ablation grid on it is refused with one line naming the directory and the pid (exit 2, no stack trace); after the
// holder is killed with SIGKILL its lock is stale and the next run takes it over with a note; the lock goes away when
// a run ends by SIGTERM and when it fails.
import fs from 'node:fs';
import path from 'node:path';
import { LOCK_FILE } from '@albert-ts/trainer/node';
import { type Launched, lastLine, launch, run, sleep } from '../child.js';
import { microConfig, pretrainArgs } from '../micro-run.js';
import { ABLATION, CLI, VOCAB } from '../paths.js';
import type { Stage, StageResult } from '../stage.js';

/** Waits until `test()` holds, or fails after `seconds`. */
async function until(what: string, test: () => boolean, seconds: number): Promise<void> {
  const end = Date.now() + 1000 * seconds;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const holderPid = (out: string): number | undefined => {
  try {
    return (JSON.parse(fs.readFileSync(path.join(out, LOCK_FILE), 'utf8')) as { pid: number }).pid;
  } catch {
    return undefined;
  }
};

export const lockStage: Stage = async (ctx): Promise<StageResult> => {
  const config = microConfig(ctx.work);
  const out = path.join(ctx.dir, 'held');
  const long = { config, out, steps: 100_000, saveEvery: 100_000, evalEvery: 0 };
  const problems: string[] = [];
  const running: Launched[] = [];
  try {
    const holder = launch(pretrainArgs(long));
    running.push(holder);
    await until('the first run to take its lock', () => holderPid(out) === holder.pid, 60);
    const second: [string, string[]][] = [
      ['pretrain', pretrainArgs(long)],
      ['finetune', [CLI, 'finetune', '--model', out, '--task', 'spam', '--backend', 'cpu', '--out', out]],
      ['sweep', [CLI, 'sweep', '--config', config, '--corpus', 'sotu', '--vocab', VOCAB, '--optimizers', 'adamw', '--rates', '1e-3',
        '--tokens', '1000', '--batch-size', '8', '--max-seq-length', '32', '--backend', 'cpu', '--out', out]],
      ['ablation', [ABLATION, '--preset', 'smoke', '--backend', 'cpu', '--out', out]],
    ];
    for (const [name, args] of second) {
      const r = await run(args);
      const program = name === 'ablation' ? 'ablation' : `albert ${name}`;
      const expected = `${program}: ${out} is in use by another run: pid ${holder.pid} (pretrain) on `;
      // the one error line (the ablation runner prints its preset line first)
      const lines = r.stderr.split('\n').filter((l) => l !== '' && !(name === 'ablation' && l.startsWith('ablation: preset ')));
      if (r.code !== 2 || lines.length !== 1 || !lines[0]!.startsWith(expected)) {
        problems.push(`${name} on a held --out: exit ${r.code}, stderr ${JSON.stringify(r.stderr.trim().slice(0, 300))}`);
      }
    }
    holder.kill();
    await holder.done;
    if (holderPid(out) !== holder.pid) problems.push('the lock of the killed run is not on disk (it should be stale, not gone)');
    const next = launch(pretrainArgs({ ...long, resume: true }));
    running.push(next);
    await until('the next run to take the stale lock over', () => holderPid(out) === next.pid, 60);
    const note = next.stderr().split('\n').find((l) => l.startsWith('taking over the lock of '));
    if (note === undefined || !note.includes(`${out}: pid ${holder.pid} (pretrain)`) || !note.endsWith('left it and that process is gone')) {
      problems.push(`no one-line note naming the stale lock: ${JSON.stringify(note)}`);
    }
    await until('training to start', () => /step \d+\/100000/.test(next.stderr()), 60);
    next.child.kill('SIGTERM');
    const ended = await next.done;
    if (ended.code !== 0 || !/"status":"interrupted"/.test(ended.stdout)) problems.push(`SIGTERM: exit ${ended.code}, ${lastLine(ended.stderr)}`);
    if (fs.existsSync(path.join(out, LOCK_FILE))) problems.push('the lock is still there after SIGTERM');
    const failing = await run(pretrainArgs({ ...long, out: path.join(ctx.dir, 'failing'), config: path.join(ctx.dir, 'no-such-config.json') }));
    if (failing.code !== 2) problems.push(`a run with a missing config exited ${failing.code}`);
    if (fs.existsSync(path.join(ctx.dir, 'failing', LOCK_FILE))) problems.push('the lock is still there after an error');
    if (problems.length > 0) return { ok: false, line: `lock: FAILED: ${problems.join('; ')}` };
    return {
      ok: true,
      line: `lock: a second pretrain, finetune, sweep and ablation on a held --out refused in one line naming pid ${holder.pid} (exit 2); ` +
        'the stale lock of the SIGKILLed run taken over with a note; released on SIGTERM and on error',
    };
  } finally {
    for (const r of running) r.kill();
  }
};
