import { BackendError, logicalCores, MAX_WASM_THREADS } from '@albert-ts/backends';
import { BenchUsageError, parseArgs } from './args.js';
import { formatProfile, formatTable } from './format.js';
import { runBench, type BenchResult } from './run-bench.js';

/** Output streams (injectable for tests). */
export interface BenchIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Runs the benchmark command line; returns the exit code (0 ok, 2 bad arguments or backend error). */
export async function main(argv: string[], io: BenchIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  let results: BenchResult[];
  try {
    const args = parseArgs(argv);
    const threads = args.threads ?? [Math.min(await logicalCores(), MAX_WASM_THREADS)];
    results = await runBench({
      configs: args.configs,
      backends: args.backends,
      threads,
      torch: args.torch,
      profile: args.profile,
      onResult: (r, profile, heap) => {
        io.err(`${r.config} ${r.backend} x${r.threads}: ${r.ms_per_step} ms/step, ${r.tokens_per_s} tokens/s, ${r.gflops} GFLOP/s` +
          (r.ratio_vs_torch === null ? '' : `, ${r.ratio_vs_torch}x torch (${r.torch_tokens_per_s} tokens/s)`) +
          (heap === null ? '' : `, wasm heap ${(heap / 2 ** 20).toFixed(0)} MiB`) + '\n');
        if (profile !== null) io.err(`top kernels (${r.config}, ${r.backend} x${r.threads}, one step):\n${formatProfile(profile)}\n`);
      },
    });
    io.out(args.json ? `${JSON.stringify({ results })}\n` : `${formatTable(results)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof BenchUsageError || e instanceof BackendError) {
      io.err(`albert-bench: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
