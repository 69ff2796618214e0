// The ablation grid (`pnpm ablation --preset smoke`) killed with SIGKILL at random moments and re-run with the same
// --out until it completes: every checkpoint of every run must load after every kill, and the final results.json
// (timing fields aside) and every run's final weights must equal an uninterrupted grid's.
import fs from 'node:fs';
import path from 'node:path';
import { latestCheckpoint } from '@albert-ts/trainer/node';
import { lastLine, run } from '../child.js';
import { lastTrainStep, withoutTiming, writtenSince } from '../checkpoints.js';
import { killLoop } from '../kill-loop.js';
import { CHECKPOINT_FILES } from '../micro-run.js';
import { ABLATION } from '../paths.js';
import type { Stage, StageResult } from '../stage.js';

/** The smoke grid on wasm with one thread (deterministic: the same numbers on every run). */
const ablationArgs = (out: string): string[] => [ABLATION, '--preset', 'smoke', '--backend', 'wasm', '--threads', '1', '--out', out];

/** The pretraining directories of a grid's runs. */
function runDirs(out: string): string[] {
  const runs = path.join(out, 'runs');
  return fs.existsSync(runs) ? fs.readdirSync(runs).sort().map((r) => path.join(runs, r, 'pretrain')).filter((d) => fs.existsSync(d)) : [];
}

const finished = (out: string): number => {
  const runs = path.join(out, 'runs');
  return fs.existsSync(runs) ? fs.readdirSync(runs).filter((r) => fs.existsSync(path.join(runs, r, 'result.json'))).length : 0;
};

/** Training steps done over all runs of a grid (the last `train` record of each run's metrics.jsonl). */
const stepsOf = (out: string): number => runDirs(out).reduce((sum, d) => sum + lastTrainStep(path.join(d, 'metrics.jsonl')), 0);

const results = (out: string): string => JSON.stringify(withoutTiming(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'))));

export const ablationStage: Stage = async (ctx): Promise<StageResult> => {
  const refOut = path.join(ctx.dir, 'reference');
  ctx.log(`uninterrupted grid -> ${refOut}`);
  const ref = await run(ablationArgs(refOut));
  if (ref.code !== 0) return { ok: false, line: `ablation: FAILED: the uninterrupted grid exited ${ref.code}: ${lastLine(ref.stderr)}` };
  const total = finished(refOut);
  // Start-up: Node, TensorFlow.js and the grid's preparation (corpus sample, vocabulary, held-out sets).
  const prepare = (JSON.parse(fs.readFileSync(path.join(refOut, 'results.json'), 'utf8')) as { timing: { prepare_s: number } }).timing.prepare_s;
  const startupSeconds = 1 + prepare;
  const trainSeconds = Math.max(1, ref.seconds - startupSeconds);
  ctx.log(`uninterrupted grid: ${ref.seconds.toFixed(0)} s (start-up ${startupSeconds.toFixed(1)} s), ${total} trainings`);
  const out = path.join(ctx.dir, 'killed');
  const loop = await killLoop({
    command: () => ablationArgs(out),
    runDirs: () => runDirs(out),
    progress: () => finished(out) / total,
    // a run's pretraining writes its metrics.jsonl right before its first step (the grid's preparation comes first)
    trainingStarted: (since) => writtenSince(runDirs(out).map((d) => path.join(d, 'metrics.jsonl')), since),
    // up to the last training's start: after it only evaluation and fine-tuning are left, and a restart has no step to wait for
    stepsDone: () => stepsOf(out), killSteps: stepsOf(refOut) - lastTrainStep(path.join(runDirs(refOut).at(-1)!, 'metrics.jsonl')),
    kills: ctx.kills, random: ctx.random, startupSeconds, trainSeconds, saveSeconds: trainSeconds / total, saveKillEvery: 4,
    checkpointFiles: CHECKPOINT_FILES, log: ctx.log,
  });
  const problems = [...loop.failures];
  if (loop.failures.length === 0 && loop.kills < ctx.kills) problems.push(`the grid finished after ${loop.kills} of ${ctx.kills} kills`);
  if (loop.final !== undefined) {
    if (results(out) !== results(refOut)) problems.push('results.json differs (timing fields aside)');
    const refRuns = runDirs(refOut);
    const outRuns = runDirs(out);
    if (refRuns.map((d) => path.relative(refOut, d)).join() !== outRuns.map((d) => path.relative(out, d)).join()) problems.push('the runs differ');
    else {
      const weights = (dir: string) => fs.readFileSync(path.join(latestCheckpoint(dir)!, 'model.safetensors'));
      const differing = refRuns.filter((d, i) => !weights(d).equals(weights(outRuns[i]!)));
      if (differing.length > 0) problems.push(`final weights differ: ${differing.map((d) => path.basename(path.dirname(d))).join(', ')}`);
    }
  }
  const detail = `${loop.insideWrite} kills inside a checkpoint write, ${loop.staleLocks} stale locks taken over`;
  if (problems.length > 0) return { ok: false, line: `ablation: FAILED after ${loop.kills} kills (${detail}): ${problems.join('; ')}` };
  return { ok: true, line: `ablation: ${loop.resumed}/${loop.kills} re-runs completed the grid, results.json and every run's final weights identical (${detail})` };
};
