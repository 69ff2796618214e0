import { BACKEND_NAMES, MAX_WASM_THREADS, type BackendName } from '@albert-ts/backends';
import { CONFIGS, SMOKE_CONFIGS, type BenchConfig } from './configs.js';

/** Bad command-line arguments (exit code 2, one line on stderr). */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

/** Parsed command line of `pnpm bench`. */
export interface BenchArgs {
  json: boolean;
  smoke: boolean;
  torch: boolean;
  profile: boolean;
  /** Kernel names to leave out on wasm (`--exclude-kernels`). */
  excludeKernels: string[];
  configs: BenchConfig[];
  backends: BackendName[];
  threads: number[] | null;
}

export const USAGE =
  'usage: pnpm bench [--config tiny|small|albert-base|reference|inference[,..]] [--backend wasm|cpu|node|node-gpu[,..]] ' +
  '[--threads N[,..]] [--steps N] [--micro-batch N] [--batch N] [--json] [--smoke] [--no-torch] [--profile] ' +
  '[--exclude-kernels NAME[,..]]';

function positiveInt(flag: string, v: string | undefined): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1) throw new BenchUsageError(`${flag} needs a positive integer, got ${v ?? 'nothing'}`);
  return Number(v);
}

/** Parses the arguments after `bin.js`. */
export function parseArgs(argv: string[]): BenchArgs {
  let json = false, smoke = false, torch = true, profile = false;
  let names: string[] | null = null;
  let backends: BackendName[] = ['wasm'];
  let threads: number[] | null = null;
  let steps: number | null = null, micro: number | null = null, batch: number | null = null;
  let excludeKernels: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new BenchUsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--json': json = true; break;
      case '--smoke': smoke = true; break;
      case '--no-torch': torch = false; break;
      case '--profile': profile = true; break;
      case '--config': names = next().split(','); break;
      case '--backend': {
        const list = next().split(',');
        for (const b of list) {
          if (!(BACKEND_NAMES as readonly string[]).includes(b)) throw new BenchUsageError(`--backend: unknown backend "${b}" (expected ${BACKEND_NAMES.join(', ')})`);
        }
        backends = list as BackendName[];
        break;
      }
      case '--threads':
        threads = next().split(',').map((t) => {
          const n = positiveInt('--threads', t);
          if (n > MAX_WASM_THREADS) throw new BenchUsageError(`--threads must be at most ${MAX_WASM_THREADS}, got ${n}`);
          return n;
        });
        break;
      case '--steps': steps = positiveInt('--steps', next()); break;
      case '--exclude-kernels': excludeKernels = next().split(',').filter((k) => k !== ''); break;
      case '--micro-batch': micro = positiveInt('--micro-batch', next()); break;
      case '--batch': batch = positiveInt('--batch', next()); break;
      case '--help': case '-h': throw new BenchUsageError(USAGE);
      default: throw new BenchUsageError(`unknown argument "${a}"; ${USAGE}`);
    }
  }
  const table = smoke ? SMOKE_CONFIGS : CONFIGS;
  const chosen = names ?? Object.keys(table);
  const configs = chosen.map((n) => {
    const c = table[n];
    if (c === undefined) throw new BenchUsageError(`--config: unknown configuration "${n}" (expected ${Object.keys(table).join(', ')})`);
    const out = { ...c };
    if (batch !== null) out.batch = batch;
    if (micro !== null) out.microBatch = micro;
    else if (batch !== null) out.microBatch = Math.min(out.microBatch, batch);
    if (steps !== null) out.steps = steps;
    if (out.batch % out.microBatch !== 0) throw new BenchUsageError(`--micro-batch ${out.microBatch} must divide the batch ${out.batch}`);
    if (out.hidden % out.heads !== 0) throw new BenchUsageError(`hidden size ${out.hidden} not divisible by ${out.heads} heads`);
    return out;
  });
  return { json, smoke, torch: torch && !smoke, profile, excludeKernels, configs, backends, threads };
}
