// What "nothing lost" means on disk: every checkpoint directory of a run loads with the readers `resume` uses, the
// `latest` pointer names one of them, and two runs' final checkpoints are the same bytes (timing fields aside).
import fs from 'node:fs';
import path from 'node:path';
import { readHfDirectory } from '@albert-ts/core/node';
import { CHECKPOINTS_DIR, LATEST_FILE, latestCheckpoint, listCheckpoints, readTrainerState } from '@albert-ts/trainer/node';

/** Keys whose values are wall-clock measurements (they differ between any two runs). */
const TIMING_KEYS = new Set([
  'elapsedSeconds', 'tokens_per_s', 'seconds', 'wall_s', 'created', 'timing', 'step_seconds', 'eval_seconds',
]);

/** `x` without its timing fields, at any depth. */
export function withoutTiming(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutTiming);
  if (x === null || typeof x !== 'object') return x;
  return Object.fromEntries(Object.entries(x).filter(([k]) => !TIMING_KEYS.has(k)).map(([k, v]) => [k, withoutTiming(v)]));
}

/**
 * Loads every complete checkpoint of run directory `out` with the trainer's state reader and the HF directory reader
 * (config.json, model.safetensors), and checks that `latest` resolves to one of them. Throws an Error naming the
 * first one that does not load. Returns the checkpoints' steps.
 */
export function checkReadable(out: string): number[] {
  const all = listCheckpoints(out);
  for (const c of all) {
    try {
      const { state } = readTrainerState(c.dir);
      if (state.step !== c.step) throw new Error(`trainer state says step ${state.step}`);
      readHfDirectory(c.dir);
    } catch (e) {
      throw new Error(`checkpoint ${c.dir} does not load: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const latest = latestCheckpoint(out);
  if (all.length > 0 && !all.some((c) => c.dir === latest)) throw new Error(`${out}: latest (${latest}) is not a complete checkpoint`);
  return all.map((c) => c.step);
}

/** Whether `out` has a complete checkpoint newer than the one `latest` names (a save killed before its pointer update). */
export function pointerBehind(out: string): boolean {
  const pointer = path.join(out, LATEST_FILE);
  const named = fs.existsSync(pointer) ? fs.readFileSync(pointer, 'utf8').trim() : '';
  const newest = listCheckpoints(out).at(-1);
  return newest !== undefined && path.basename(newest.dir) !== named;
}

/** Temp directories of saves in progress under the `checkpoints/` folders of `outs`. */
export function tempDirs(outs: readonly string[]): string[] {
  return outs.flatMap((out) => {
    const root = path.join(out, CHECKPOINTS_DIR);
    return fs.existsSync(root) ? fs.readdirSync(root).filter((n) => n.startsWith('.tmp-')).map((n) => path.join(root, n)) : [];
  });
}

/** Whether any of `files` was written after `since` (epoch ms). */
export function writtenSince(files: readonly string[], since: number): boolean {
  return files.some((f) => {
    try {
      return fs.statSync(f).mtimeMs > since;
    } catch {
      return false;
    }
  });
}

/** The step of the last `train` record of a metrics.jsonl (0 when there is none yet). */
export function lastTrainStep(file: string): number {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  const lines = text.trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const r = JSON.parse(lines[i]!) as { type?: string; step?: number };
      if (r.type === 'train' && typeof r.step === 'number') return r.step;
    } catch {
      // a line being appended
    }
  }
  return 0;
}

const bytes = (file: string): Buffer | undefined => (fs.existsSync(file) ? fs.readFileSync(file) : undefined);
const json = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

/**
 * How checkpoint directories `a` and `b` differ: model and optimizer bytes, and the trainer state (step, optimizer,
 * settings, data position, every metrics record) without its timing fields. Empty when identical.
 */
export function checkpointDifferences(a: string, b: string): string[] {
  const out: string[] = [];
  for (const f of ['model.safetensors', 'trainer_state/optimizer.safetensors']) {
    const x = bytes(path.join(a, f));
    const y = bytes(path.join(b, f));
    if (x === undefined || y === undefined || !x.equals(y)) out.push(`${f} differs`);
  }
  const state = 'trainer_state/state.json';
  if (JSON.stringify(withoutTiming(json(path.join(a, state)))) !== JSON.stringify(withoutTiming(json(path.join(b, state))))) {
    out.push(`${state} differs (timing fields aside)`);
  }
  return out;
}

/** A JSON Lines file's records without their timing fields. */
export function jsonLinesWithoutTiming(file: string): string {
  return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.stringify(withoutTiming(JSON.parse(l)))).join('\n');
}
