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
      makeRun({ study: 'embedding', E: 16, sharing: 'not-shared', params: 90_000, mlm: [900, 5000] }),
      makeRun({ study: 'embedding', E: 16, sharing: 'all-shared', params: 20_000, mlm: [800, 5000], layers: [[3, 20], [3, 21]] }),
      makeRun({ study: 'sharing', E: 16, sharing: 'shared-ffn', params: 50_000, mlm: [240, 5000] }),
      makeRun({ study: 'objective', objective: 'sop', sop: [300, 500] }),
      makeRun({ study: 'objective', objective: 'nsp', sop: [250, 500] }),
    ];
    runs[1].downstream_collapsed = ['spam'];
    for (const r of runs) {
      r.curves.push({ step: 0, tokens: 0, loss: 7.6, mlm_acc: 0.0, mlm_baseline: 0.05 }, { step: 5, tokens: 640, loss: 7.2, mlm_acc: 0.05, mlm_baseline: 0.05, sop_acc: 0.51 });
      r.curve_cues = { sop: { length_rule: 0.5, punctuation_rule: 0.52 }, nsp: { length_rule: 0.5, punctuation_rule: 0.5 } };
    }
    const results: Results = {
      preset: 'demo',
      backend: 'cpu',
      created: '2026-01-01T00:00:00Z',
      versions: { 'albert-ts': '9.9.9', ablation: '9.9.9', 'tfjs-core': '4.22.0', node: 'v20', backend: 'cpu' },
      budget: ['Cannot resolve trained effects.'],
      answers: ['table4-params', 'table3-small-e-not-shared'],
      timing: { prepare_s: 5, setup_s: 5, pretrain_s: 40, eval_s: 2.5, finetune_s: 2.5, report_s: 1, pretrain_share: 40 / 56, wall_s: 56, parallel: 1 },
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
      for (const h of ['What this run shows', 'Where the time went', 'Table 1', 'Table 3', 'Table 4', 'Study: embedding', 'Study: sharing', 'Study: objective', 'Figure 1', 'does not follow from the architecture', 'Downstream: fine-tuned from the pretrained model and from random weights']) {
        expect(md).toContain(h);
      }
      // The run at 4.8% MLM (the most frequent token scores 5%) is flagged and named in the summary.
      expect(md).toMatch(/\| E=16 shared-ffn \|.*\| did not learn: recipe \|/);
      expect(md).toContain('did not learn: recipe: sharing: E=16 shared-ffn never left the most-frequent-token baseline');
      // Sentence scores under their honest names, with the cue rules of the same pairs.
      expect(md).toContain('| sop_acc | nsp_acc | sop_head_on_nsp_pairs | nsp_head_on_sop_pairs |');
      expect(md).toContain('Surface cues of the same held-out pairs');
      // The SOP-trained run has no nsp_acc: its head was never trained on NSP.
      expect(md).toMatch(/\| sop \| 0 \| 32 \| all-shared \| sop \|.*\| 60\.0% \[[^\]]*\] \| n\/a \| 50\.0%/);
      // Downstream: pretrained 80% [70, 90] vs random init 60% [50, 69]: disjoint.
      expect(md).toContain('| spam | 80.0% [70.0%, 90.0%] | 60.0% [50.0%, 69.0%] F1 0.50 | n/a | pretraining helps |');
      expect(md).toContain('| embedding: E=16 all-shared | 0 | spam | 80.0% [70.0%, 90.0%] (collapsed) |');
      // Which preset answers which claim, and the exact parameter claim decided at the paper's sizes.
      expect(md).toContain('Preset demo is sized to answer: table4-params');
      expect(md).toMatch(/\| Table 5 \|.*\| full \|/);
      expect(json.claims.find((c: { id: string }) => c.id === 'table4-params').evidence).toContain("paper's ALBERT-base shape");
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
