import type { BenchResult, BenchSummary, KernelProfile } from './run-bench.js';

/** Aligns a table: the first `left` columns left-aligned, the rest right-aligned. */
function table(head: string[], body: string[][], left: number): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const opt = (x: number | null, digits = 0) => (x === null ? '-' : x.toFixed(digits));

/** Plain-text table of the results, one row per configuration x backend x threads. */
export function formatTable(rows: BenchResult[]): string {
  const head = ['config', 'backend', 'threads', 'ms/step', 'min', 'max', 'tokens/s', 'GFLOP/s', 'heap MiB', 'torch ms/step', 'torch tokens/s', 'vs torch'];
  const body = rows.map((r) => [
    r.config, r.backend, String(r.threads), r.ms_per_step.toFixed(1), r.ms_per_step_min.toFixed(1), r.ms_per_step_max.toFixed(1),
    r.tokens_per_s.toFixed(0), r.gflops.toFixed(2), opt(r.wasm_heap_peak_mib), opt(r.torch_ms_per_step_median, 1),
    opt(r.torch_tokens_per_s), r.ratio_vs_torch === null ? '-' : `${r.ratio_vs_torch.toFixed(3)}x`,
  ]);
  return table(head, body, 3);
}

/** Each side at its best thread count, per configuration and backend. */
export function formatSummary(rows: BenchSummary[]): string {
  const head = ['config', 'backend', 'best threads', 'tokens/s', 'torch best threads', 'torch tokens/s', 'best vs best'];
  const body = rows.map((r) => [
    r.config, r.backend, String(r.best_threads), r.tokens_per_s.toFixed(0), opt(r.torch_best_threads), opt(r.torch_tokens_per_s),
    r.ratio_best_vs_best === null ? '-' : `${r.ratio_best_vs_best.toFixed(3)}x`,
  ]);
  return table(head, body, 2);
}

/** The `top` kernels of a profile as text lines (`name  total ms  calls  share`). */
export function formatProfile(profile: KernelProfile[], top = 12): string {
  const total = profile.reduce((s, k) => s + k.ms, 0);
  const calls = profile.reduce((s, k) => s + k.calls, 0);
  return [
    ...profile.slice(0, top).map((k) =>
      `  ${k.name.padEnd(30)} ${k.ms.toFixed(1).padStart(9)} ms ${String(k.calls).padStart(6)} calls ${((100 * k.ms) / Math.max(total, 1e-9)).toFixed(1).padStart(5)}%`),
    `  (${calls} kernel calls in all)`,
  ].join('\n');
}
