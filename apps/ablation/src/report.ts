// Renders results.json into report.md and a self-contained report.html (inline CSS and SVG, nothing fetched).
import { armEstimate, groupArms } from './arms.js';
import { type Chart, uniqueGeometryRuns } from './charts.js';
import { type ClaimResult, defaultClaimOptions } from './claims.js';
import type { PaperTable } from '@albert-ts/analysis';
import type { Accuracy, Results, RunResult } from './results.js';

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

function runsTable(runs: RunResult[], study: string, tasks: string[]): Table {
  const notes: string[] = [];
  const maj = runs.map((r) => r.intrinsic.mlm_majority).find((x) => x !== undefined && Number.isFinite(x));
  if (maj !== undefined) notes.push(`No-skill baselines: always predicting the most frequent masked token scores ${pct(maj)} MLM accuracy on this evaluation set; NSP and SOP are balanced binary tasks (chance 50%).`);
  for (const t of tasks) {
    const m = runs.map((r) => r.downstream_majority?.[t]).find((x) => x !== undefined);
    if (m !== undefined) notes.push(`${t}: the most frequent label is ${pct(m)} of its full test split (the evaluated sample may differ); F1 is of the positive class, and F1 0 means the model predicts one class only.`);
  }
  return {
    notes,
    title: `${study} study: every run`,
    columns: ['run', 'seed', 'E', 'sharing', 'objective', 'params', 'steps', 'tokens', 'tokens/s', 'wall', 'MLM acc [95%]', 'NSP acc [95%]', 'SOP acc [95%]', ...tasks.map((t) => `${t} [95%]`)],
    rows: runs.map((r) => [
      r.label, String(r.seed), String(r.variant.embeddingSize), r.variant.sharing, r.variant.objective, int(r.params), int(r.steps),
      int(r.tokens_seen), r.tokens_per_s.toFixed(0), `${r.wall_s.toFixed(0)} s`, accCell(r.intrinsic.mlm_acc), accCell(r.intrinsic.nsp_acc),
      accCell(r.intrinsic.sop_acc),
      ...tasks.map((t) => {
        const v = r.downstream[t];
        const ci = r.downstream_ci95?.[t];
        const f1 = r.downstream_f1?.[t];
        const f1s = f1 === undefined ? '' : ` F1 ${f1.toFixed(2)}`;
        return v === undefined ? 'n/a' : ci ? `${pct(v)} [${pct(ci.ci95[0])}, ${pct(ci.ci95[1])}]${f1s}` : `${pct(v)}${f1s}`;
      }),
    ]),
  };
}

function seedTable(runs: RunResult[], study: string): Table | undefined {
  const arms = groupArms(runs).filter((a) => a.runs.length > 1);
  if (arms.length === 0) return undefined;
  const cell = (e: ReturnType<typeof armEstimate>) => (e ? `${pct(e.value)} [${pct(e.lo)}, ${pct(e.hi)}]` : 'n/a');
  return {
    title: `${study} study: mean across seeds with 95% Student-t intervals`,
    columns: ['run', 'seeds', 'MLM acc', 'NSP acc', 'SOP acc'],
    rows: arms.map((a) => [a.label, String(a.runs.length), cell(armEstimate(a, 'mlm_acc')), cell(armEstimate(a, 'nsp_acc')), cell(armEstimate(a, 'sop_acc'))]),
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

function claimsTable(claims: ClaimResult[]): Table {
  return {
    title: 'Verdict per claim of the paper (decided by 95% intervals)',
    columns: ['paper', 'claim', 'verdict', 'evidence'],
    rows: claims.map((c) => [c.source, c.claim, c.verdict, c.evidence]),
    notes: [
      'A claimed difference is "reproduced" only when the two 95% intervals are disjoint in the claimed direction and "contradicted" only when they are disjoint the other way; overlapping intervals are "not resolved at this budget", whatever the point estimates say.',
      `A claimed bound ("loses little", at most ${pct(defaultClaimOptions.delta)} here) is reproduced only when the whole 95% interval of the difference lies within it, and only when the reference model measurably learned (final MLM accuracy interval above its step-0 value).`,
      `Intervals: Wilson score intervals over evaluation examples for one seed (masked tokens for MLM, sentence pairs for NSP/SOP; tokens within a sequence are not independent, so MLM intervals are somewhat optimistic), Student-t across seeds when a preset runs several; differences use Newcombe's or Welch's interval. "Solved" means >= ${pct(defaultClaimOptions.solved)}, "near chance" < ${pct(defaultClaimOptions.nearChance)}.`,
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
  sections.push({ heading: 'What this run shows', tables: [claimsTable(claims)], charts: [] });
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
    if (runs.length === 0) continue;
    const tables = [runsTable(runs, study, tasks)];
    const st = seedTable(runs, study);
    if (st) tables.push(st);
    sections.push({ heading: `Study: ${study}`, tables, charts: charts.filter((c) => c.id.endsWith(`-${study}`)) });
  }
  const gt = geometryTable(results.runs);
  const fig = charts.filter((c) => c.id === 'figure1');
  if (gt || fig.length) sections.push({ heading: 'Figure 1: layer-to-layer geometry', tables: gt ? [gt] : [], charts: fig });
  const rest = charts.filter((c) => c.id === 'params-vs-acc' || c.id === 'downstream');
  if (rest.length) sections.push({ heading: 'Parameters and downstream accuracy', tables: [], charts: rest });
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
