// `pnpm crash-safety [--kills N] [--only stage,...] [--seed S] [--work DIR] [--keep]`
import { parseArgs } from 'node:util';

/** The stages, in the order they run. */
export const STAGE_NAMES = ['pretrain', 'finetune', 'ablation', 'enospc', 'lock'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** Parsed command line. */
export interface Options {
  kills: number;
  only: StageName[];
  seed: number;
  /** Work directory (default: a new one in the OS temp directory, removed at the end unless `keep`). */
  work?: string;
  keep: boolean;
  help: boolean;
}

export const USAGE = `usage: pnpm crash-safety [--kills N] [--only ${STAGE_NAMES.join(',')}] [--seed S] [--work DIR] [--keep]
Kills albert pretrain, albert finetune and the ablation grid with SIGKILL N times each (default 20) at seeded random
moments, some inside a checkpoint write, resuming after every kill, and checks that every checkpoint loads after every
kill and that the final weights equal an uninterrupted run's; then a disk that fills up during a save (ENOSPC) and
the run lock. Prints one line per stage with its wall time; exit code 1 when a check fails.`;

/** A bad command line. */
export class OptionsError extends Error {}

function integer(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min) throw new OptionsError(`--${name}: '${value}' must be an integer >= ${min}`);
  return n;
}

export function parseOptions(argv: string[]): Options {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv, allowPositionals: false, strict: true,
      options: {
        kills: { type: 'string' }, only: { type: 'string' }, seed: { type: 'string' }, work: { type: 'string' },
        keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new OptionsError((e as Error).message.split('\n')[0]!);
  }
  const only = typeof values.only === 'string' ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : [...STAGE_NAMES];
  const unknown = only.filter((s) => !(STAGE_NAMES as readonly string[]).includes(s));
  if (unknown.length > 0 || only.length === 0) throw new OptionsError(`--only: '${unknown[0] ?? ''}' is not one of ${STAGE_NAMES.join(', ')}`);
  return {
    kills: integer('kills', values.kills as string | undefined, 20, 1),
    only: STAGE_NAMES.filter((s) => only.includes(s)),
    seed: integer('seed', values.seed as string | undefined, 1, 0),
    ...(typeof values.work === 'string' ? { work: values.work } : {}),
    keep: values.keep === true || typeof values.work === 'string',
    help: values.help === true,
  };
}
