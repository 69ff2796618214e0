// Runs the stages one after another, each in a directory of its own, and prints each one's line and wall time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeOutput } from '@albert-ts/core/process';
import { OptionsError, type StageName, USAGE, parseOptions } from './options.js';
import { seededRandom } from './random.js';
import type { Stage } from './stage.js';
import { ablationStage } from './stages/ablation.js';
import { enospcStage } from './stages/enospc.js';
import { finetuneStage } from './stages/finetune.js';
import { lockStage } from './stages/lock.js';
import { pretrainStage } from './stages/pretrain.js';

const STAGES: Record<StageName, Stage> = {
  pretrain: pretrainStage, finetune: finetuneStage, ablation: ablationStage, enospc: enospcStage, lock: lockStage,
};

/** Returns the exit code: 0 when every check of every stage held, 1 otherwise, 2 for a bad command line. */
export async function main(argv: string[]): Promise<number> {
  let o;
  try {
    o = parseOptions(argv);
  } catch (e) {
    if (!(e instanceof OptionsError)) throw e;
    process.stderr.write(`crash-safety: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (o.help) {
    await writeOutput(`${USAGE}\n`);
    return 0;
  }
  const work = path.resolve(o.work ?? fs.mkdtempSync(path.join(os.tmpdir(), 'albert-crash-safety-')));
  fs.mkdirSync(work, { recursive: true });
  const started = Date.now();
  process.stderr.write(`crash-safety: ${o.kills} kills per crash loop, seed ${o.seed}, stages ${o.only.join(', ')}, work directory ${work}\n`);
  let failed = 0;
  for (const name of o.only) {
    const t0 = Date.now();
    const dir = path.join(work, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    let line: string;
    try {
      const r = await STAGES[name]({
        dir, work, kills: o.kills, random: seededRandom(o.seed * 7919 + o.only.indexOf(name)),
        log: (s) => process.stderr.write(`  [${name}] ${s}\n`),
      });
      line = r.line;
      if (!r.ok) failed++;
    } catch (e) {
      line = `${name}: FAILED: ${(e as Error).message.split('\n')[0]}`;
      failed++;
    }
    await writeOutput(`${line} [${((Date.now() - t0) / 1000).toFixed(0)} s]\n`);
  }
  await writeOutput(`crash-safety: ${o.only.length - failed}/${o.only.length} stages passed in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  if (!o.keep) fs.rmSync(work, { recursive: true, force: true });
  return failed === 0 ? 0 : 1;
}
