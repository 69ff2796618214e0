import { BackendError, logicalCores, MAX_WASM_THREADS, shutdownBackends } from '@albert-ts/backends';
import { BenchUsageError, parseArgs } from './args.js';
import { formatProfile, formatSummary, formatTable } from './format.js';
import { runBench, type BenchOutput } from './run-bench.js';

/** Output streams (injectable for tests). */
export interface BenchIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Runs the benchmark command line; returns the exit code (0 ok, 2 bad arguments or backend error). */
export async function main(argv: string[], io: BenchIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  let output: BenchOutput;
  try {
    const args = parseArgs(argv);
    // Default: 1 and 2 threads (each side is compared at its best), or 1 on a single core.
    const threads = args.threads ?? (Math.min(await logicalCores(), MAX_WASM_THREADS) >= 2 ? [1, 2] : [1]);
    output = await runBench({
      configs: args.configs,
      backends: args.backends,
      threads,
      torch: args.torch,
      profile: args.profile,
      excludeKernels: args.excludeKernels,
      onResult: (r, profile) => {
        io.err(`${r.config} ${r.backend} x${r.threads}: ${r.ms_per_step} ms/step (min ${r.ms_per_step_min}, max ${r.ms_per_step_max}), ` +
          `${r.tokens_per_s} tokens/s, ${r.gflops} GFLOP/s` +
          (r.ratio_vs_torch === null ? '' : `, ${r.ratio_vs_torch}x torch x${r.torch_threads} (${r.torch_ms_per_step_median} ms/step)`) +
          (r.wasm_heap_peak_mib === null ? '' : `, wasm heap ${r.wasm_heap_peak_mib} MiB`) + '\n');
        if (profile !== null) io.err(`top kernels (${r.config}, ${r.backend} x${r.threads}, one step):\n${formatProfile(profile)}\n`);
      },
    });
    io.out(args.json ? `${JSON.stringify(output)}\n` : `${formatTable(output.results)}\n\n${formatSummary(output.summary)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof BenchUsageError || e instanceof BackendError) {
      io.err(`albert-bench: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    shutdownBackends(); // the wasm worker threads
  }
}
