// `albert finetune` killed with SIGKILL at random moments (some inside a checkpoint write) and resumed each time with
// --resume: every resume must succeed, every checkpoint on disk must load after every kill, and the fine-tuned model
// and its training state must equal an uninterrupted run's bit for bit, with the same validation and test metrics.
import fs from 'node:fs';
import path from 'node:path';
import { latestCheckpoint, listCheckpoints } from '@albert-ts/trainer/node';
import { lastLine, run } from '../child.js';
import { checkpointDifferences } from '../checkpoints.js';
import { killLoop } from '../kill-loop.js';
import { CHECKPOINT_FILES, microConfig, pretrainArgs } from '../micro-run.js';
import { CLI } from '../paths.js';
import type { Stage, StageResult } from '../stage.js';
import { referenceRun } from './pretrain.js';

const EPOCHS = 2;
const TRAIN_EXAMPLES = 256;
const BATCH = 8;
const STEPS = EPOCHS * (TRAIN_EXAMPLES / BATCH);
const SAVE_EVERY = 2;
/** Sub-directory of a fine-tuning out dir with its training checkpoints (`FINETUNE_TRAINING_DIR` of the recipes). */
const TRAINING_DIR = 'training';

function finetuneArgs(model: string, out: string, resume: boolean): string[] {
  return [
    CLI, 'finetune', '--model', model, '--task', 'moby-vs-sotu', '--epochs', String(EPOCHS), '--batch-size', String(BATCH),
    '--max-seq-length', '32', '--max-train', String(TRAIN_EXAMPLES), '--max-eval', '64', '--lr', '1e-3', '--save-every', String(SAVE_EVERY),
    '--seed', '1', '--backend', 'cpu', '--out', out, ...(resume ? ['--resume'] : []),
  ];
}

/** A pretrained micro model: the pretrain stage's reference run, or a short one made here. */
async function pretrained(work: string, dir: string, log: (s: string) => void): Promise<string> {
  const reference = referenceRun(work);
  if (listCheckpoints(reference.out).at(-1)?.step === reference.steps) return reference.out;
  const out = path.join(dir, 'pretrained');
  fs.rmSync(out, { recursive: true, force: true });
  log(`no pretrain stage output: pretraining 6 steps -> ${out}`);
  const r = await run(pretrainArgs({ config: microConfig(work), out, steps: 6, saveEvery: 6, evalEvery: 0 }));
  if (r.code !== 0) throw new Error(`the pretraining for the fine-tune exited ${r.code}: ${lastLine(r.stderr)}`);
  return out;
}

/** The metrics `albert finetune` prints (validation and test). */
function metrics(stdout: string): string {
  const { validation, test } = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  return JSON.stringify({ validation, test });
}

export const finetuneStage: Stage = async (ctx): Promise<StageResult> => {
  const model = await pretrained(ctx.work, ctx.dir, ctx.log);
  const refOut = path.join(ctx.dir, 'reference');
  ctx.log(`uninterrupted fine-tune: ${STEPS} steps -> ${refOut}`);
  const ref = await run(finetuneArgs(model, refOut, false));
  if (ref.code !== 0) return { ok: false, line: `finetune: FAILED: the uninterrupted run exited ${ref.code}: ${lastLine(ref.stderr)}` };
  ctx.log(`uninterrupted fine-tune: ${ref.seconds.toFixed(0)} s`);
  const startupSeconds = 3;
  const trainSeconds = Math.max(1, ref.seconds - startupSeconds);
  const out = path.join(ctx.dir, 'killed');
  const training = path.join(out, TRAINING_DIR);
  const loop = await killLoop({
    command: (resume) => finetuneArgs(model, out, resume),
    runDirs: () => [training, out],
    progress: () => (listCheckpoints(training).at(-1)?.step ?? 0) / STEPS,
    // finetune keeps its metrics in memory: its training checkpoints (every 2 steps) show how far it is
    trainingStarted: (since) => listCheckpoints(training).some((c) => fs.statSync(c.dir).mtimeMs > since),
    stepsDone: () => listCheckpoints(training).at(-1)?.step ?? 0, killSteps: STEPS - SAVE_EVERY - 1,
    kills: ctx.kills, random: ctx.random, startupSeconds, trainSeconds, saveSeconds: (trainSeconds * SAVE_EVERY) / STEPS, saveKillEvery: 3,
    checkpointFiles: CHECKPOINT_FILES, log: ctx.log,
  });
  const problems = [...loop.failures];
  if (loop.failures.length === 0 && loop.kills < ctx.kills) problems.push(`the run finished after ${loop.kills} of ${ctx.kills} kills`);
  if (loop.final !== undefined) {
    const finalRef = latestCheckpoint(refOut)!;
    const finalOut = latestCheckpoint(out);
    const weights = (dir: string) => fs.readFileSync(path.join(dir, 'model.safetensors'));
    if (finalOut === undefined || path.basename(finalOut) !== path.basename(finalRef)) problems.push(`fine-tuned model ${finalOut} is not ${path.basename(finalRef)}`);
    else if (!weights(finalOut).equals(weights(finalRef))) problems.push('the fine-tuned model.safetensors differs');
    const trainingOut = latestCheckpoint(training);
    if (trainingOut === undefined) problems.push('no training checkpoint');
    else problems.push(...checkpointDifferences(latestCheckpoint(path.join(refOut, TRAINING_DIR))!, trainingOut));
    if (metrics(loop.final.stdout) !== metrics(ref.stdout)) problems.push('validation or test metrics differ');
  }
  const detail = `${loop.insideWrite} kills inside a checkpoint write, ${loop.staleLocks} stale locks taken over`;
  if (problems.length > 0) return { ok: false, line: `finetune: FAILED after ${loop.kills} kills (${detail}): ${problems.join('; ')}` };
  return { ok: true, line: `finetune: ${loop.resumed}/${loop.kills} resumed, final weights identical (${detail})` };
};
