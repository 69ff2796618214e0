import type { SweepCell, SweepResult } from './sweep.js';

const pct = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const num = (x: number | null | undefined, d: number) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : 'n/a');

function row(c: SweepCell): string {
  const status = c.status === 'diverged' ? 'diverged (non-finite loss)' : c.left_baseline ? 'left the baseline' : '**at the baseline**';
  const left = c.left_baseline_at_tokens === null ? '-' : c.left_baseline_at_tokens.toLocaleString('en-US');
  return [
    c.optimizer, String(c.lr), String(c.seed), c.tokens.toLocaleString('en-US'),
    `${pct(c.mlm.accuracy)} [${pct(c.mlm.lo)}, ${pct(c.mlm.hi)}]`, `${pct(c.baseline.accuracy)} [${pct(c.baseline.lo)}, ${pct(c.baseline.hi)}]`,
    status, left, num(c.mlm_loss, 3), `${num(c.attention_entropy, 3)} / ${num(c.attention_entropy_uniform, 3)}`,
    num(c.tokens_per_s, 0),
  ].join(' | ');
}

/** The sweep as Markdown: settings, one row per cell, and the best rate per optimizer. */
export function renderSweepMarkdown(r: SweepResult): string {
  const s = r.settings;
  const model = s.model as Record<string, unknown>;
  const n = r.cells.find((c) => c.mlm.n > 0)?.mlm.n ?? 0;
  const lines = [
    '# Learning-rate sweep',
    '',
    `Model H=${model.hidden_size}, L=${model.num_hidden_layers}, E=${model.embedding_size}, heads=${model.num_attention_heads}, ` +
      `I=${model.intermediate_size}, V=${model.vocab_size}; sharing ${s.sharing ?? 'from the config'}; objective ${s.objective}; ` +
      `corpus ${s.corpus}; ${Number(s.tokens).toLocaleString('en-US')} tokens per cell (${s.steps} steps of ${s.batchSize} × ${s.maxSeqLength}), ` +
      `warmup ${100 * Number(s.warmupProportion)}% of the steps.`,
    '',
    `Held-out MLM accuracy over ${n.toLocaleString('en-US')} masked tokens of length-matched held-out pairs (the same for every cell), ` +
      'with 95% Wilson intervals. "Baseline": always predicting the most frequent masked token of those targets; a cell ' +
      '"left the baseline" when the two intervals are disjoint. "Left at": tokens seen at the first curve evaluation ' +
      '(a smaller held-out set) above the baseline. Attention entropy: mean over heads, layers and non-padding queries ' +
      '(nats), against uniform attention over the same rows.',
    ...(r.complete ? [] : ['', '**PARTIAL: the sweep was interrupted; run the same command again to finish it.**']),
    '',
    '| optimizer | lr | seed | tokens | MLM acc [95%] | baseline [95%] | verdict | left at (tokens) | MLM loss | attn entropy / uniform | tokens/s |',
    '| --- | ---: | ---: | ---: | --- | --- | --- | ---: | ---: | --- | ---: |',
    ...r.cells.map((c) => `| ${row(c)} |`),
    '',
    'Best rate per optimizer (highest mean MLM accuracy among rates whose every seed left the baseline):',
    '',
    ...Object.entries(r.best).map(([opt, b]) => `- ${opt}: ${b === null ? 'no rate left the baseline' : `${b.lr} (${pct(b.mlm_accuracy)})`}`),
    '',
  ];
  return lines.join('\n');
}
