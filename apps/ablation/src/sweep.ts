// `pnpm ablation --preset <p> --sweep`: the learning-rate sweep (`sweep` of @albert-ts/recipes) on exactly the data
// a preset's runs use (its corpus sample, vocabulary and held-out pairs), for the configurations in `preset.sweep`.
// Its tables are what RECIPES in presets.ts should be set from.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '@albert-ts/core/node';
import { type BackendName, useBackend } from '@albert-ts/backends';
import { type SweepResult, sweep, tokenizeCorpus } from '@albert-ts/recipes';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';
import type { OptimizerName } from '@albert-ts/trainer';
import { withRunLock } from '@albert-ts/trainer/node';
import { prepareSharedFiles, runConfig, SEED_BASE } from './engine.js';
import type { Preset } from './presets.js';
import type { ProgressSink } from './progress.js';

/** Options of {@link sweepPreset}; the optional ones override `preset.sweep`. */
export interface SweepPresetOptions {
  backend: BackendName;
  threads?: number;
  out: string;
  optimizers?: OptimizerName[];
  rates?: number[];
  tokensPerCell?: number;
  seeds?: number;
  progress?: ProgressSink;
}

/** Runs (or resumes) the preset's sweep into `<out>/sweep/<variant>/` and writes the combined `<out>/sweep.md`. */
export async function sweepPreset(p: Preset, o: SweepPresetOptions): Promise<{ markdown: string; results: SweepResult[] }> {
  const out = path.resolve(o.out);
  const sink = o.progress ?? process.stderr;
  const note = (s: string) => void sink.write(`${s}\n`);
  return withRunLock(out, () => sweepLocked(p, o, out, note), { label: 'ablation --sweep', onNote: note });
}

async function sweepLocked(
  p: Preset, o: SweepPresetOptions, out: string, note: (s: string) => void,
): Promise<{ markdown: string; results: SweepResult[] }> {
  const sink = o.progress ?? process.stderr;
  const sharedDir = path.join(out, 'shared');
  fs.mkdirSync(sharedDir, { recursive: true });
  await useBackend(o.backend, o.threads !== undefined ? { threads: o.threads } : {});
  const shared = await prepareSharedFiles(p, sharedDir, note);
  const corpus = await tokenizeCorpus({ corpus: shared.splits, tokenizer: loadAlbertTokenizer(shared.spiece) });
  const s = p.sweep;
  const optimizers = o.optimizers ?? (Object.keys(s.rates) as OptimizerName[]);
  const rates = o.rates ?? (s.rates as Record<string, number[]>);
  const seeds = Array.from({ length: o.seeds ?? s.seeds }, (_, i) => SEED_BASE + i);
  const results: SweepResult[] = [];
  const sections: string[] = [];
  for (const v of s.variants) {
    const name = `E${v.embeddingSize}-${v.sharing}`;
    note(`sweep ${name}: ${optimizers.join(', ')} x ${JSON.stringify(rates)}, ${(o.tokensPerCell ?? s.tokensPerCell).toLocaleString('en-US')} tokens per cell`);
    const r = await sweep({
      config: runConfig(p, v.embeddingSize, corpus.tokenizer.vocabSize), sharing: v.sharing, objective: 'sop', corpus, corpusLabel: shared.label,
      optimizers, rates, tokens: o.tokensPerCell ?? s.tokensPerCell, seeds, batchSize: p.training.batchSize,
      maxSeqLength: p.model.maxSeqLength, maxPredictionsPerSeq: p.training.maxPredictionsPerSeq, dupeFactor: p.training.dupeFactor,
      warmupProportion: p.training.warmupProportion, evalPairs: p.training.finalPairs, curvePoints: 4, curvePairs: p.training.curvePairs,
      out: path.join(out, 'sweep', name), progress: sink,
      onCell: (c) => note(`  ${name} ${c.optimizer} ${c.lr} seed ${c.seed}: ${c.status === 'diverged' ? 'diverged' : `MLM ${(100 * c.mlm.accuracy).toFixed(1)}% (baseline ${(100 * c.baseline.accuracy).toFixed(1)}%)${c.left_baseline ? '' : ', did not leave the baseline'}`}`),
    });
    results.push(r);
    sections.push(fs.readFileSync(r.files.markdown, 'utf8').replace(/^# Learning-rate sweep/, `## ${name}`));
    if (!r.complete) break;
  }
  const markdown = [`# Learning-rate sweep of preset ${p.name}`, '', ...sections].join('\n');
  await writeFileAtomic(path.join(out, 'sweep.md'), markdown);
  return { markdown, results };
}
