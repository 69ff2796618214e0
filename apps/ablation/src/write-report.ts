// Writes results.json, report.md, report.html and charts/*.svg for a set of results (atomically, file by file).
import fsp from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@albert-ts/core/node';
import { buildCharts } from './charts.js';
import { evaluateClaims, type ClaimResult } from './claims.js';
import { buildReportModel, renderHtml, renderMarkdown } from './report.js';
import type { Results } from './results.js';

/** Paths written by {@link writeReport}. */
export interface ReportFiles {
  results: string;
  markdown: string;
  html: string;
  charts: string[];
  claims: ClaimResult[];
}

/** Renders and writes the report of `results` into `outDir`. */
export async function writeReport(results: Results, outDir: string): Promise<ReportFiles> {
  await fsp.mkdir(path.join(outDir, 'charts'), { recursive: true });
  const claims = evaluateClaims(results.runs, {}, results.paper_tables ?? []);
  const charts = await buildCharts(results);
  const model = buildReportModel(results, claims, charts);
  const files: ReportFiles = {
    results: path.join(outDir, 'results.json'),
    markdown: path.join(outDir, 'report.md'),
    html: path.join(outDir, 'report.html'),
    charts: [],
    claims,
  };
  for (const c of charts) {
    const p = path.join(outDir, 'charts', `${c.id}.svg`);
    await writeFileAtomic(p, c.svg);
    files.charts.push(p);
  }
  await writeFileAtomic(files.results, `${JSON.stringify({ ...results, claims }, null, 1)}\n`);
  await writeFileAtomic(files.markdown, renderMarkdown(model));
  await writeFileAtomic(files.html, renderHtml(model));
  return files;
}
