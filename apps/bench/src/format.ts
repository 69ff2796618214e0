import type { BenchResult, KernelProfile } from './run-bench.js';

/** Plain-text table of the results, one row per configuration x backend x threads. */
export function formatTable(rows: BenchResult[]): string {
  const head = ['config', 'backend', 'threads', 'ms/step', 'tokens/s', 'GFLOP/s', 'torch tokens/s', 'vs torch'];
  const body = rows.map((r) => [
    r.config, r.backend, String(r.threads), r.ms_per_step.toFixed(1), r.tokens_per_s.toFixed(0), r.gflops.toFixed(2),
    r.torch_tokens_per_s === null ? '-' : r.torch_tokens_per_s.toFixed(0),
    r.ratio_vs_torch === null ? '-' : `${r.ratio_vs_torch.toFixed(3)}x`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The `top` kernels of a profile as text lines (`name  total ms  calls  share`). */
export function formatProfile(profile: KernelProfile[], top = 12): string {
  const total = profile.reduce((s, k) => s + k.ms, 0);
  return profile
    .slice(0, top)
    .map((k) => `  ${k.name.padEnd(22)} ${k.ms.toFixed(1).padStart(9)} ms ${String(k.calls).padStart(6)} calls ${((100 * k.ms) / Math.max(total, 1e-9)).toFixed(1).padStart(5)}%`)
    .join('\n');
}
