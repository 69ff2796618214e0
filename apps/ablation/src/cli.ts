// `pnpm ablation [--preset smoke|demo|quick|full] [--backend cpu|wasm|node-gpu|node] [--threads N] [--parallel N]
//                [--only <study|label>,...] [--seeds N] [--out <dir>]`
// `pnpm ablation --preset <p> --sweep [--optimizers a,b] [--rates x,y] [--tokens N] [--seeds N] [--out <dir>]`
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type BackendName, NODE_BACKEND_NAMES as BACKEND_NAMES } from '@albert-ts/backends/names';
import type { OptimizerName } from '@albert-ts/trainer';
import { AblationError } from './errors.js';
import { PRESETS, type Preset, isPresetName, onlyChoices } from './presets.js';

/** Parsed command line. */
export interface CliOptions {
  preset: Preset;
  backend: BackendName;
  /** Backend threads (per worker with --parallel: default the cores divided among the workers). */
  threads?: number;
  /** Runs trained side by side, each worker process with its own backend (1: in this process); see {@link defaultParallel}. */
  parallel: number;
  /** Studies and/or run labels to run. */
  only?: string[];
  seeds?: number;
  out: string;
  help: boolean;
  /** Run the preset's learning-rate sweep instead of the grid. */
  sweep?: { optimizers?: OptimizerName[]; rates?: number[]; tokens?: number };
}

export const USAGE = `usage: pnpm ablation [--preset smoke|demo|quick|full] [--backend ${BACKEND_NAMES.join('|')}] [--threads N] [--parallel N]
                     [--only <study|run label>,...] [--seeds N] [--out <dir>]
       pnpm ablation --preset <p> --sweep [--optimizers adamw,lamb] [--rates 1e-3,3e-3] [--tokens N] [--seeds N] [--out <dir>]
Defaults: --preset demo --backend wasm --parallel min(cores, 4) with cores/parallel threads each (1 on the native\nnode backends) --out reports/<timestamp>. Re-run with the same --out to resume.
--only takes studies (embedding, sharing, objective) and run labels as in the report (e.g. "E=16 not-shared"), comma-separated.
--parallel N trains N runs side by side, each in a worker process with its own backend (--threads per worker).
--sweep runs the preset's learning-rate sweep (optimizers x rates on its model shape and data) instead of the grid.`;

function positiveInt(name: string, v: string | undefined, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isInteger(n) || n < 1 || n > max) throw new AblationError(`--${name}: '${v}' must be an integer from 1 to ${max}`);
  return n;
}

function list(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * Runs side by side when --parallel is not given: on the wasm and cpu backends one worker per core, at most 4, each
 * with the cores divided among the workers (single-threaded runs need no cross-thread synchronisation; on this
 * project's 2-core machine two of them side by side trained 6% more tokens per second than one 2-thread run, see the
 * README's demo timing); the native node backends run one at a time.
 */
export function defaultParallel(backend: BackendName, cores: number): { parallel: number; threads?: number } {
  if (backend !== 'wasm' && backend !== 'cpu') return { parallel: 1 };
  const parallel = Math.max(1, Math.min(cores, 4));
  return parallel === 1 ? { parallel } : { parallel, threads: Math.max(1, Math.floor(cores / parallel)) };
}

/** Parses argv (without node and script); throws AblationError with a one-line message on bad input. */
export function parseCli(argv: string[], now = new Date(), cores = os.availableParallelism()): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        preset: { type: 'string' },
        backend: { type: 'string' },
        threads: { type: 'string' },
        parallel: { type: 'string' },
        only: { type: 'string' },
        seeds: { type: 'string' },
        out: { type: 'string' },
        sweep: { type: 'boolean' },
        optimizers: { type: 'string' },
        rates: { type: 'string' },
        tokens: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new AblationError((e as Error).message.split('\n')[0]);
  }
  const presetName = (values.preset as string | undefined) ?? 'demo';
  if (!isPresetName(presetName)) throw new AblationError(`--preset: '${presetName}' is not one of ${Object.keys(PRESETS).join(', ')}`);
  const preset = PRESETS[presetName];
  const backend = (values.backend as string | undefined) ?? 'wasm';
  if (!(BACKEND_NAMES as readonly string[]).includes(backend)) throw new AblationError(`--backend: '${backend}' is not one of ${BACKEND_NAMES.join(', ')}`);
  const only = list(values.only as string | undefined);
  if (only !== undefined) {
    const choices = onlyChoices(preset);
    const bad = only.filter((x) => !choices.includes(x));
    if (bad.length > 0 || only.length === 0) {
      throw new AblationError(`--only: '${bad[0] ?? values.only}' is not a study or run of preset ${presetName} (${choices.filter((c) => !c.includes('/')).join(', ')})`);
    }
  }
  const sweep = values.sweep === true;
  for (const k of ['optimizers', 'rates', 'tokens'] as const) {
    if (!sweep && values[k] !== undefined) throw new AblationError(`--${k}: only with --sweep`);
  }
  // Optimizer names are checked by the sweep (importing the trainer here would load TensorFlow.js for --help).
  const optimizers = list(values.optimizers as string | undefined);
  const rates = list(values.rates as string | undefined)?.map((r) => {
    const x = Number(r);
    if (!(Number.isFinite(x) && x > 0)) throw new AblationError(`--rates: '${r}' is not a positive number`);
    return x;
  });
  const stamp = now.toISOString().replace(/[:.]/g, '-').replace(/-\d\d\dZ$/, 'Z');
  const out = (values.out as string | undefined) ?? path.join('reports', sweep ? `sweep-${presetName}-${stamp}` : stamp);
  if (out === '') throw new AblationError('--out: must not be empty');
  return {
    preset,
    backend: backend as CliOptions['backend'],
    ...parallelism(backend as BackendName, positiveInt('threads', values.threads as string | undefined, 256),
      positiveInt('parallel', values.parallel as string | undefined, 64), sweep ? 1 : cores),
    ...(only ? { only } : {}),
    seeds: positiveInt('seeds', values.seeds as string | undefined, 100),
    out,
    help: values.help === true,
    ...(sweep ? {
      sweep: {
        optimizers: optimizers as OptimizerName[] | undefined,
        rates,
        tokens: positiveInt('tokens', values.tokens as string | undefined, 1e12),
      },
    } : {}),
  };
}

/** --threads and --parallel as given, the rest from {@link defaultParallel}. */
function parallelism(backend: BackendName, threads: number | undefined, parallel: number | undefined, cores: number): { threads?: number; parallel: number } {
  if (parallel !== undefined) return { ...(threads !== undefined ? { threads } : {}), parallel };
  if (threads !== undefined) return { threads, parallel: 1 }; // an explicit thread count without --parallel: one run at a time
  return defaultParallel(backend, cores);
}
