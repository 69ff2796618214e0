import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { paperTables } from '@albert-ts/analysis';
import { type Results, validateResults } from '../src/results.js';
import { writeReport } from '../src/write-report.js';
import { makeRun } from './helpers/make-run.js';
import type { Part, SharingStrategy } from '@albert-ts/core';

const strat = (name: string, shared: (p: Part) => boolean): SharingStrategy => ({
  name, slots: (p, L) => (shared(p) ? 1 : L), slotOf: (p, i) => (shared(p) ? 0 : i),
});

describe('writeReport', () => {
  it('writes results.json, report.md, report.html with every table and chart', async () => {
    const runs = [
      makeRun({ study: 'embedding', E: 16, sharing: 'not-shared', params: 90_000, mlm: [900, 5000], mlm0: 0.01 }),
      makeRun({ study: 'embedding', E: 16, sharing: 'all-shared', params: 20_000, mlm: [800, 5000], mlm0: 0.01, layers: [[3, 20], [3, 21]] }),
      makeRun({ study: 'sharing', E: 16, sharing: 'shared-ffn', params: 50_000 }),
      makeRun({ study: 'objective', objective: 'sop', sop: [300, 500] }),
      makeRun({ study: 'objective', objective: 'nsp', sop: [250, 500] }),
    ];
    for (const r of runs) r.curves.push({ step: 5, tokens: 640, loss: 7.2, mlm_acc: 0.05, nsp_acc: 0.5, sop_acc: 0.51 });
    const results: Results = {
      preset: 'demo',
      backend: 'cpu',
      created: '2026-01-01T00:00:00Z',
      versions: { 'albert-ts': '9.9.9', ablation: '9.9.9', 'tfjs-core': '4.22.0', node: 'v20', backend: 'cpu' },
      budget: ['Cannot resolve trained effects.'],
      paper_tables: paperTables((n) => strat(n, (p) => n === 'all-shared' || n === `shared-${p === 'ffn' ? 'ffn' : 'attention'}`)),
      runs,
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ablation-report-'));
    try {
      const files = await writeReport(results, dir);
      const json = JSON.parse(fs.readFileSync(files.results, 'utf8'));
      expect(validateResults(json)).toEqual([]);
      expect(json.claims.length).toBeGreaterThan(5);
      const md = fs.readFileSync(files.markdown, 'utf8');
      for (const h of ['What this run shows', 'Table 1', 'Table 3', 'Table 4', 'Study: embedding', 'Study: sharing', 'Study: objective', 'Figure 1', 'does not follow from the architecture']) {
        expect(md).toContain(h);
      }
      expect(md).toContain('preset demo · backend cpu');
      const html = fs.readFileSync(files.html, 'utf8');
      const ids = ['curves-embedding', 'bars-embedding', 'curves-sharing', 'bars-sharing', 'curves-objective', 'bars-objective', 'figure1', 'params-vs-acc', 'downstream'];
      for (const id of ids) {
        expect(html).toMatch(new RegExp(`id="chart-${id}"><svg`));
        expect(fs.existsSync(path.join(dir, 'charts', `${id}.svg`))).toBe(true);
      }
      expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
      // The verdict for the SOP/NSP comparison at 60% vs 50% on 500 pairs: disjoint intervals.
      expect(json.claims.find((c: { id: string }) => c.id === 'table5-sop-beats-nsp').verdict).toBe('reproduced');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
