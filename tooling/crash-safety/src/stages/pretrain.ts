// `albert pretrain` killed with SIGKILL at random moments (some inside a checkpoint write) and resumed each time with
// --resume: every resume must succeed, every checkpoint on disk must load after every kill, and the final checkpoint
// must equal an uninterrupted run's bit for bit (weights, optimizer state, trainer state and metrics, timing aside).
import path from 'node:path';
import { latestCheckpoint, listCheckpoints } from '@albert-ts/trainer/node';
import { lastLine, run } from '../child.js';
import { checkpointDifferences, jsonLinesWithoutTiming, lastTrainStep, withoutTiming, writtenSince } from '../checkpoints.js';
import { killLoop } from '../kill-loop.js';
import { CHECKPOINT_FILES, type PretrainRun, microConfig, pretrainArgs } from '../micro-run.js';
import type { Stage, StageResult } from '../stage.js';

const STEPS = 60;

/** The uninterrupted run (also the pretrained model of the finetune stage). */
export function referenceRun(work: string): PretrainRun {
  return { config: microConfig(work), out: path.join(work, 'pretrain', 'reference'), steps: STEPS, saveEvery: 3, evalEvery: 20 };
}

/** The summary `albert pretrain` prints, without its timing fields and paths. */
function summary(stdout: string): string {
  const { checkpoint: _c, tokens_per_s: _t, seconds: _s, ...rest } = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  return JSON.stringify(withoutTiming(rest));
}

export const pretrainStage: Stage = async (ctx): Promise<StageResult> => {
  const reference = referenceRun(ctx.work);
  ctx.log(`uninterrupted run: ${STEPS} steps -> ${reference.out}`);
  const ref = await run(pretrainArgs(reference));
  if (ref.code !== 0) return { ok: false, line: `pretrain: FAILED: the uninterrupted run exited ${ref.code}: ${lastLine(ref.stderr)}` };
  const seconds = (JSON.parse(ref.stdout.trim().split('\n').at(-1)!) as { seconds: { train: number; eval: number } }).seconds;
  const trainSeconds = seconds.train + seconds.eval;
  const startupSeconds = Math.max(1, ref.seconds - trainSeconds);
  ctx.log(`uninterrupted run: ${ref.seconds.toFixed(0)} s (start-up ${startupSeconds.toFixed(1)} s)`);

  const crashed = { ...reference, out: path.join(ctx.dir, 'killed') };
  const loop = await killLoop({
    command: (resume) => pretrainArgs({ ...crashed, resume }),
    runDirs: () => [crashed.out],
    progress: () => (listCheckpoints(crashed.out).at(-1)?.step ?? 0) / STEPS,
    // train() rewrites metrics.jsonl (a resume: to the checkpoint's records) right before its first step
    trainingStarted: (since) => writtenSince([path.join(crashed.out, 'metrics.jsonl')], since),
    stepsDone: () => lastTrainStep(path.join(crashed.out, 'metrics.jsonl')), killSteps: STEPS - reference.saveEvery - 1,
    kills: ctx.kills, random: ctx.random, startupSeconds, trainSeconds, saveSeconds: (trainSeconds * reference.saveEvery) / STEPS,
    saveKillEvery: 3, checkpointFiles: CHECKPOINT_FILES,
    log: ctx.log,
  });
  const problems = [...loop.failures];
  if (loop.failures.length === 0 && loop.kills < ctx.kills) problems.push(`the run finished after ${loop.kills} of ${ctx.kills} kills`);
  if (loop.final !== undefined) {
    const a = latestCheckpoint(reference.out)!;
    const b = latestCheckpoint(crashed.out);
    if (b === undefined || path.basename(a) !== path.basename(b)) problems.push(`final checkpoint ${b} is not ${path.basename(a)}`);
    else problems.push(...checkpointDifferences(a, b));
    if (jsonLinesWithoutTiming(path.join(reference.out, 'metrics.jsonl')) !== jsonLinesWithoutTiming(path.join(crashed.out, 'metrics.jsonl'))) {
      problems.push('metrics.jsonl differs (timing fields aside)');
    }
    if (summary(loop.final.stdout) !== summary(ref.stdout)) problems.push('the final summary (loss, evaluation) differs');
  }
  const detail = `${loop.insideWrite} kills inside a checkpoint write, ${loop.staleLocks} stale locks taken over`;
  if (problems.length > 0) return { ok: false, line: `pretrain: FAILED after ${loop.kills} kills (${detail}): ${problems.join('; ')}` };
  return { ok: true, line: `pretrain: ${loop.resumed}/${loop.kills} resumed, final weights identical (${detail})` };
};
