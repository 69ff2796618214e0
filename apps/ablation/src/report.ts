// Renders results.json into report.md and a self-contained report.html (inline CSS and SVG, nothing fetched).
import { armEstimate, groupArms } from './arms.js';
import { type Chart, uniqueGeometryRuns } from './charts.js';
import { type ClaimResult, DID_NOT_LEARN, defaultClaimOptions, runLearned } from './claims.js';
import type { PaperTable } from '@albert-ts/analysis';
import { type Accuracy, type InProgressRun, type Results, type RunResult, SENTENCE_KEYS, type SentenceKey } from './results.js';

/** A table shared by both renderings. */
export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const accCell = (a: Accuracy | undefined) => (a && Number.isFinite(a.acc) ? `${pct(a.acc)} [${pct(a.ci95[0])}, ${pct(a.ci95[1])}]` : 'n/a');
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mil = (n: number) => `${(n / 1e6).toFixed(2)}M`;

/** Provenance line printed with every table and chart. */
export function provenance(r: Results): string {
  return `preset ${r.preset} · backend ${r.backend}${r.threads ? ` (${r.threads} threads)` : ''} · albert-ts ${r.versions['albert-ts']} · tfjs-core ${r.versions['tfjs-core']} · node ${r.versions.node}`;
}

function paperTable(t: PaperTable): Table {
  return {
    title: t.title,
    columns: ['model', 'H', 'L', 'E', 'sharing', 'exact', 'paper', 'exact - paper', ''],
    rows: t.rows.map((r) => [
      r.model, String(r.hiddenSize), String(r.layers), String(r.embeddingSize), r.sharing, `${int(r.exact)} (${mil(r.exact)})`,
      `${r.paper / 1e6}M`, `${r.diff >= 0 ? '+' : ''}${mil(r.diff)}`, r.flagged ? 'does not follow from the architecture' : '',
    ]),
    notes: t.notes,
  };
}

/** Sentence keys measured by any of `runs`, in the fixed order. */
function sentenceKeysOf(runs: readonly RunResult[]): SentenceKey[] {
  return SENTENCE_KEYS.filter((k) => runs.some((r) => r.intrinsic[k] !== undefined));
}

/** "yes", or the flag of a run whose MLM accuracy never left the most-frequent-token baseline. */
function learnedCell(r: RunResult): string {
  const ok = runLearned(r);
  return ok === undefined ? 'n/a' : ok ? 'yes' : DID_NOT_LEARN;
}

function runsTable(runs: RunResult[], study: string): Table {
  const keys = sentenceKeysOf(runs);
  const notes: string[] = [
    '"learned": the held-out MLM accuracy interval lies above that of always predicting the most frequent masked token of the same targets; a run that never left it is flagged "did not learn: recipe" (the recipe or budget, not the variant, decided it) and is not folded into any claim.',
    'Sentence accuracies are named by which head is scored on which pairs: sop_acc = SOP head on SOP pairs, nsp_acc = NSP head on NSP pairs, sop_head_on_nsp_pairs = the SOP-trained head scored on NSP pairs (never called "NSP accuracy"), untrained_head_on_* = the never-trained head of objective none. The held-out pairs are length-matched (segments within 2 tokens) and label-balanced (chance 50%).',
  ];
  const cues = runs.find((r) => r.intrinsic.pair_cues)?.intrinsic.pair_cues;
  if (cues) {
    notes.push(`Surface cues of the same held-out pairs (better orientation of each rule): SOP pairs: length rule ${accCell(cues.sop.length_rule)}, punctuation rule ${accCell(cues.sop.punctuation_rule)}; NSP pairs: length rule ${accCell(cues.nsp.length_rule)}, punctuation rule ${accCell(cues.nsp.punctuation_rule)}. An inter-sentence accuracy that is not above these is not read as learning.`);
  }
  return {
    notes,
    title: `${study} study: every run`,
    columns: ['run', 'seed', 'E', 'sharing', 'objective', 'params', 'tokens', 'tokens/s', 'MLM acc [95%]', 'most-frequent token [95%]', 'learned', ...keys, 'attention entropy / uniform'],
    rows: runs.map((r) => [
      r.label, String(r.seed), String(r.variant.embeddingSize), r.variant.sharing, r.variant.objective, int(r.params),
      int(r.tokens_seen), r.tokens_per_s.toFixed(0), accCell(r.intrinsic.mlm_acc), accCell(r.intrinsic.mlm_baseline), learnedCell(r),
      ...keys.map((k) => accCell(r.intrinsic[k])),
      r.intrinsic.attention_entropy ? `${r.intrinsic.attention_entropy.mean.toFixed(3)} / ${r.intrinsic.attention_entropy.uniform.toFixed(3)}` : 'n/a',
    ]),
  };
}

function downstreamTable(runs: RunResult[], tasks: string[]): Table | undefined {
  if (tasks.length === 0) return undefined;
  const cell = (a: { acc: number; ci95: [number, number] } | undefined, f1: number | undefined, collapsed = false) =>
    a === undefined ? 'n/a' : `${pct(a.acc)} [${pct(a.ci95[0])}, ${pct(a.ci95[1])}]${f1 === undefined ? '' : ` F1 ${f1.toFixed(2)}`}${collapsed ? ' (collapsed)' : ''}`;
  const rows = runs.flatMap((r) => tasks.filter((t) => r.downstream[t] !== undefined).map((t) => {
    const ci = r.downstream_ci95?.[t];
    const pre = ci ? { acc: r.downstream[t], ci95: ci.ci95 } : undefined;
    const rnd = r.downstream_random_init?.[t];
    const verdict = !pre || !rnd ? 'n/a'
      : pre.ci95[0] > rnd.ci95[1] ? 'pretraining helps' : pre.ci95[1] < rnd.ci95[0] ? 'pretraining hurts' : 'not resolved at this budget';
    return [`${r.study}: ${r.label}`, String(r.seed), t, cell(pre, r.downstream_f1?.[t], r.downstream_collapsed?.includes(t)), cell(rnd, rnd?.f1, rnd?.collapsed), pct(r.downstream_majority?.[t] ?? NaN), verdict];
  }));
  return {
    title: 'Downstream: fine-tuned from the pretrained model and from random weights at the same budget',
    columns: ['run', 'seed', 'task', 'pretrained [95%]', 'random init [95%]', 'majority label', 'at this budget'],
    rows,
    notes: [
      'Both columns use the same fine-tuning recipe (@albert-ts/recipes `finetune` defaults), examples, epochs and seed; "random init" is the same configuration with random weights. A verdict needs disjoint intervals. F1 is of the positive class; F1 0 means one class is predicted for everything; "(collapsed)": the collapse monitor saw the fine-tune collapse to one class with a flat loss.',
    ],
  };
}

function timeTable(results: Results): Table | undefined {
  const t = results.timing;
  // A configuration in two studies is one run: list it once.
  const key = (r: RunResult) => `${r.variant.embeddingSize}|${r.variant.sharing}|${r.variant.objective}|${r.seed}|${r.steps}`;
  const runs = results.runs.filter((r, i, all) => r.seconds && all.findIndex((x) => key(x) === key(r)) === i);
  if (!t && runs.length === 0) return undefined;
  const s = (x: number) => `${x.toFixed(0)} s`;
  const rows = runs.map((r) => [r.id, s(r.seconds!.setup), s(r.seconds!.pretrain), s(r.seconds!.eval), s(r.seconds!.finetune), s(r.seconds!.total), pct(r.seconds!.pretrain / Math.max(r.seconds!.total, 1e-9))]);
  const notes: string[] = [];
  if (t) {
    const total = t.prepare_s + t.setup_s + t.pretrain_s + t.eval_s + t.finetune_s + t.report_s;
    rows.push(['grid set-up (vocabulary, corpus, held-out sets) and report', s(t.prepare_s + t.report_s), '', '', '', s(t.prepare_s + t.report_s), '']);
    rows.push(['total', s(t.setup_s + t.prepare_s + t.report_s), s(t.pretrain_s), s(t.eval_s), s(t.finetune_s), s(total), pct(t.pretrain_share)]);
    notes.push(`Wall time of the invocation that wrote this report: ${s(t.wall_s)}${t.parallel > 1 ? `, with ${t.parallel} runs side by side (one worker process each), so the sums exceed it` : ''}. Runs finished in earlier invocations keep their own split; grid set-up is this invocation's.`);
  }
  return { title: 'Where the time went (seconds per phase)', columns: ['run', 'set-up', 'pretraining', 'evaluation', 'fine-tuning', 'total', 'pretraining share'], rows, notes };
}

function inProgressTable(runs: InProgressRun[], study: string): Table {
  const keys = SENTENCE_KEYS.filter((k) => runs.some((r) => r.curves.some((c) => c[k] !== undefined)));
  return {
    title: `${study} study: runs in progress (not finished; last curve evaluation, on the smaller curve sets)`,
    columns: ['run', 'seed', 'tokens reached', 'of', 'MLM acc', 'most-frequent token', ...keys],
    rows: runs.map((r) => {
      const last = r.curves[r.curves.length - 1];
      return [r.label, String(r.seed), int(r.tokens), int(r.total_tokens), pct(last.mlm_acc ?? NaN), pct(last.mlm_baseline ?? NaN), ...keys.map((k) => pct(last[k] ?? NaN))];
    }),
    notes: ['Re-run the same command to continue them; no claim is decided on a run before its final evaluation.'],
  };
}

function seedTable(runs: RunResult[], study: string): Table | undefined {
  const arms = groupArms(runs).filter((a) => a.runs.length > 1);
  if (arms.length === 0) return undefined;
  const keys = sentenceKeysOf(runs);
  const cell = (e: ReturnType<typeof armEstimate>) => (e ? `${pct(e.value)} [${pct(e.lo)}, ${pct(e.hi)}]` : 'n/a');
  return {
    title: `${study} study: mean across seeds with 95% Student-t intervals`,
    columns: ['run', 'seeds', 'MLM acc', ...keys],
    rows: arms.map((a) => [a.label, String(a.runs.length), cell(armEstimate(a, 'mlm_acc')), ...keys.map((k) => cell(armEstimate(a, k)))]),
  };
}

function geometryTable(runs: RunResult[]): Table | undefined {
  const rs = uniqueGeometryRuns(runs);
  if (rs.length === 0) return undefined;
  const L = Math.max(...rs.map((r) => r.layers.length));
  return {
    title: 'Figure 1 analogue: per-layer L2 distance / angle (degrees) between input and output embeddings',
    columns: ['run', 'seed', ...Array.from({ length: L }, (_, i) => `layer ${i + 1}`)],
    rows: rs.map((r) => [`E=${r.variant.embeddingSize} ${r.variant.sharing}`, String(r.seed), ...Array.from({ length: L }, (_, i) => (r.layers[i] ? `${r.layers[i].l2.toFixed(2)} / ${r.layers[i].cosine_deg.toFixed(1)}°` : ''))]),
    notes: ['Mean over all non-padding tokens of the held-out evaluation set; the angle is arccos of the cosine similarity.'],
  };
}

function claimsTable(claims: ClaimResult[], preset: string): Table {
  return {
    title: 'Verdict per claim of the paper (decided by 95% intervals)',
    columns: ['paper', 'claim', 'verdict', 'evidence', 'sized for preset'],
    rows: claims.map((c) => [c.source, c.claim, c.verdict, c.evidence, (c.presets ?? []).map((p) => (p === preset ? `${p} (this report)` : p)).join(', ') || 'none yet']),
    notes: [
      'A claimed difference is "reproduced" only when the two 95% intervals are disjoint in the claimed direction and "contradicted" only when they are disjoint the other way; overlapping intervals are "not resolved at this budget", whatever the point estimates say.',
      `A claimed bound ("loses little", at most ${pct(defaultClaimOptions.delta)} here) is reproduced only when the whole 95% interval of the difference lies within it.`,
      `A run whose MLM accuracy never left the most-frequent-token baseline is "${DID_NOT_LEARN}" and no claim is decided on it. An inter-sentence accuracy counts only above chance and above the length and punctuation rules of the same pairs; "near chance" means below ${pct(defaultClaimOptions.nearChance)}.`,
      'Intervals: Wilson score intervals over evaluation examples for one seed (masked tokens for MLM, sentence pairs for NSP/SOP; tokens within a sequence are not independent, so MLM intervals are somewhat optimistic), Student-t across seeds when a preset runs several; differences use Newcombe\'s or Welch\'s interval.',
      '"Sized for preset": the presets whose budget is meant to answer the claim (a claim outside this report\'s preset is usually not resolved here).',
    ],
  };
}

/** Everything a report shows, before rendering. */
export interface ReportModel {
  title: string;
  provenance: string;
  budget: string[];
  sections: Array<{ heading: string; tables: Table[]; charts: Chart[]; text?: string[] }>;
}

/** Assembles the report's sections from results, claims and rendered charts. */
export function buildReportModel(results: Results, claims: ClaimResult[], charts: Chart[]): ReportModel {
  const tasks = [...new Set(results.runs.flatMap((r) => Object.keys(r.downstream)))].sort();
  const sections: ReportModel['sections'] = [];
  const recipe = results.recipe;
  sections.push({
    heading: 'What this run shows',
    tables: [claimsTable(claims, results.preset)],
    charts: [],
    text: [
      ...(recipe ? [`Recipe of every run: ${recipe.optimizer} at peak rate ${recipe.learningRate} (warmup ${100 * Number(recipe.warmupProportion)}% of the steps, then linear decay), ${int(Number(recipe.tokensPerRun))} tokens per run in batches of ${recipe.batchSize} × ${recipe.maxSeqLength}, chosen by the learning-rate sweep (apps/ablation README).`] : []),
      ...(results.answers?.length ? [`Preset ${results.preset} is sized to answer: ${results.answers.join(', ')}. The other claims need another preset (column "sized for preset").`] : []),
    ],
  });
  const flagged = results.runs.filter((r) => runLearned(r) === false);
  if (flagged.length > 0) {
    sections[0].text!.push(`${DID_NOT_LEARN}: ${[...new Set(flagged.map((r) => `${r.study}: ${r.label}`))].join(', ')} never left the most-frequent-token baseline; no claim is decided on them.`);
  }
  const tt = timeTable(results);
  if (tt) sections.push({ heading: 'Where the time went', tables: [tt], charts: [] });
  if (results.paper_tables?.length) {
    sections.push({
      heading: 'Paper-scale parameter counts (exact)',
      tables: results.paper_tables.map(paperTable),
      charts: [],
      text: ['Unique parameters of HF `AlbertModel` (embeddings, encoder, pooler; no pretraining heads), V=30000, 512 positions, computed analytically by @albert-ts/core.'],
    });
  }
  for (const study of ['embedding', 'sharing', 'objective'] as const) {
    const runs = results.runs.filter((r) => r.study === study);
    const inProgress = (results.in_progress ?? []).filter((r) => r.study === study);
    if (runs.length + inProgress.length === 0) continue;
    const tables = runs.length > 0 ? [runsTable(runs, study)] : [];
    const st = seedTable(runs, study);
    if (st) tables.push(st);
    if (inProgress.length > 0) tables.push(inProgressTable(inProgress, study));
    sections.push({ heading: `Study: ${study}`, tables, charts: charts.filter((c) => c.id.endsWith(`-${study}`)) });
  }
  const gt = geometryTable(results.runs);
  const fig = charts.filter((c) => c.id === 'figure1');
  if (gt || fig.length) sections.push({ heading: 'Figure 1: layer-to-layer geometry', tables: gt ? [gt] : [], charts: fig });
  const dt = downstreamTable(results.runs, tasks);
  const rest = charts.filter((c) => c.id === 'params-vs-acc' || c.id === 'downstream');
  if (rest.length || dt) sections.push({ heading: 'Parameters and downstream accuracy', tables: dt ? [dt] : [], charts: rest });
  return {
    title: `ALBERT ablations — preset ${results.preset}`,
    provenance: provenance(results),
    budget: results.budget ?? [],
    sections,
  };
}

const mdEscape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function mdTable(t: Table, prov: string): string {
  const lines = [`### ${t.title}`, '', `_${prov}_`, '', `| ${t.columns.map(mdEscape).join(' | ')} |`, `| ${t.columns.map(() => '---').join(' | ')} |`];
  for (const r of t.rows) lines.push(`| ${r.map(mdEscape).join(' | ')} |`);
  if (t.notes?.length) lines.push('', ...t.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

/** Markdown rendering; charts are referenced as SVG files under `charts/`. */
export function renderMarkdown(m: ReportModel, chartDir = 'charts'): string {
  const out = [`# ${m.title}`, '', `Produced by: ${m.provenance}.`, ''];
  if (m.budget.length) out.push('## What this budget can and cannot resolve', '', ...m.budget.map((b) => `- ${b}`), '');
  for (const s of m.sections) {
    out.push(`## ${s.heading}`, '');
    if (s.text) out.push(...s.text, '');
    for (const t of s.tables) out.push(mdTable(t, m.provenance), '');
    for (const c of s.charts) out.push(`![${c.title}](${chartDir}/${c.id}.svg)`, '', `_${c.caption}_`, '');
  }
  return out.join('\n');
}

/** Escapes text for HTML. */
export function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:12.5px;display:block;overflow-x:auto}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f4f4f4}
.prov{color:#666;font-size:12px}.v-reproduced{background:#e3f6e3}.v-contradicted{background:#fbe3e3}.v-not{background:#f6f1dc}
figure{margin:1rem 0}figcaption{color:#555;font-size:12px}.chart svg{max-width:100%;height:auto}`;

/** Self-contained HTML: inline CSS and inline SVG charts, no scripts, no external resources. */
export function renderHtml(m: ReportModel): string {
  const table = (t: Table) => {
    const verdictCol = t.columns.indexOf('verdict');
    const head = `<tr>${t.columns.map((c) => `<th>${htmlEscape(c)}</th>`).join('')}</tr>`;
    const body = t.rows
      .map((r) => `<tr>${r.map((c, i) => {
        const cls = i === verdictCol ? ` class="v-${c.split(' ')[0]}"` : '';
        return `<td${cls}>${htmlEscape(c)}</td>`;
      }).join('')}</tr>`)
      .join('\n');
    const notes = t.notes?.length ? `<ul>${t.notes.map((n) => `<li>${htmlEscape(n)}</li>`).join('')}</ul>` : '';
    return `<h3>${htmlEscape(t.title)}</h3><p class="prov">${htmlEscape(m.provenance)}</p><table>${head}\n${body}</table>${notes}`;
  };
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${htmlEscape(m.title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${htmlEscape(m.title)}</h1><p class="prov">Produced by: ${htmlEscape(m.provenance)}</p>`,
  ];
  if (m.budget.length) parts.push('<h2>What this budget can and cannot resolve</h2><ul>', ...m.budget.map((b) => `<li>${htmlEscape(b)}</li>`), '</ul>');
  for (const s of m.sections) {
    parts.push(`<h2>${htmlEscape(s.heading)}</h2>`);
    if (s.text) parts.push(...s.text.map((t) => `<p>${htmlEscape(t)}</p>`));
    for (const t of s.tables) parts.push(table(t));
    for (const c of s.charts) {
      parts.push(`<figure class="chart" id="chart-${htmlEscape(c.id)}">${c.svg}<figcaption>${htmlEscape(c.caption)}</figcaption></figure>`);
    }
  }
  parts.push('</body></html>');
  return parts.join('\n');
}
