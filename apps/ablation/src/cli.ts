// `pnpm ablation [--preset smoke|demo|quick|full] [--backend cpu|wasm|node-gpu|node] [--threads N]
//                [--only embedding|sharing|objective] [--seeds N] [--out <dir>]`
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type BackendName, NODE_BACKEND_NAMES as BACKEND_NAMES } from '@albert-ts/backends/names';
import { AblationError } from './errors.js';
import { PRESETS, type Preset, isPresetName } from './presets.js';
import type { Study } from './results.js';

/** Parsed command line. */
export interface CliOptions {
  preset: Preset;
  backend: BackendName;
  threads?: number;
  only?: Study;
  seeds?: number;
  out: string;
  help: boolean;
}

export const USAGE = `usage: pnpm ablation [--preset smoke|demo|quick|full] [--backend ${BACKEND_NAMES.join('|')}] [--threads N]
                     [--only embedding|sharing|objective] [--seeds N] [--out <dir>]
Defaults: --preset demo --backend wasm --out reports/<timestamp>. Re-run with the same --out to resume.`;

const STUDIES = ['embedding', 'sharing', 'objective'] as const;

function positiveInt(name: string, v: string | undefined, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isInteger(n) || n < 1 || n > max) throw new AblationError(`--${name}: '${v}' must be an integer from 1 to ${max}`);
  return n;
}

/** Parses argv (without node and script); throws AblationError with a one-line message on bad input. */
export function parseCli(argv: string[], now = new Date()): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        preset: { type: 'string' },
        backend: { type: 'string' },
        threads: { type: 'string' },
        only: { type: 'string' },
        seeds: { type: 'string' },
        out: { type: 'string' },
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
  const backend = (values.backend as string | undefined) ?? 'wasm';
  if (!(BACKEND_NAMES as readonly string[]).includes(backend)) throw new AblationError(`--backend: '${backend}' is not one of ${BACKEND_NAMES.join(', ')}`);
  const only = values.only as string | undefined;
  if (only !== undefined && !(STUDIES as readonly string[]).includes(only)) throw new AblationError(`--only: '${only}' is not one of ${STUDIES.join(', ')}`);
  const stamp = now.toISOString().replace(/[:.]/g, '-').replace(/-\d\d\dZ$/, 'Z');
  const out = (values.out as string | undefined) ?? path.join('reports', stamp);
  if (out === '') throw new AblationError('--out: must not be empty');
  return {
    preset: PRESETS[presetName],
    backend: backend as CliOptions['backend'],
    threads: positiveInt('threads', values.threads as string | undefined, 256),
    only: only as Study | undefined,
    seeds: positiveInt('seeds', values.seeds as string | undefined, 100),
    out,
    help: values.help === true,
  };
}
