import type { RunResult, SharingName, Study, InterSentence } from '../../src/results.js';
import { wilson } from '../../src/stats.js';

const acc = (correct: number, n: number) => {
  const w = wilson(correct, n);
  return { acc: w.value, ci95: [w.lo, w.hi] as [number, number], n };
};

/** Builds a synthetic run; accuracies are given as correct counts over n. */
export function makeRun(p: {
  study: Study;
  E?: number;
  sharing?: SharingName;
  objective?: InterSentence;
  seed?: number;
  params?: number;
  mlm?: [number, number];
  nsp?: [number, number];
  sop?: [number, number];
  mlm0?: number;
  layers?: Array<[number, number]>;
}): RunResult {
  const E = p.E ?? 32;
  const sharing = p.sharing ?? 'all-shared';
  const objective = p.objective ?? 'sop';
  const label = p.study === 'objective' ? `${objective}` : `E=${E} ${sharing}`;
  return {
    id: `${p.study}/${label}/s${p.seed ?? 0}`,
    study: p.study,
    label,
    variant: { embeddingSize: E, hiddenSize: 64, sharing, objective, corpus: 'sotu' },
    params: p.params ?? 1000,
    tokens_per_s: 100,
    wall_s: 10,
    steps: 10,
    tokens_seen: 1000,
    intrinsic: {
      mlm_acc: acc(...(p.mlm ?? [100, 1000])),
      nsp_acc: acc(...(p.nsp ?? [250, 500])),
      sop_acc: acc(...(p.sop ?? [250, 500])),
    },
    downstream: { spam: 0.8 },
    downstream_ci95: { spam: { ci95: [0.7, 0.9], n: 100 } },
    layers: (p.layers ?? [[5, 30], [5, 30]]).map(([l2, c]) => ({ l2, cosine_deg: c, l2_sd: 1, cosine_deg_sd: 2, tokens: 2000 })),
    curves: p.mlm0 === undefined ? [] : [{ step: 0, tokens: 0, mlm_acc: p.mlm0 }],
    config: { model: {}, training: {} },
    seed: p.seed ?? 0,
    versions: { 'albert-ts': '0', ablation: '0', 'tfjs-core': '4.22.0', node: 'v20', backend: 'cpu' },
  };
}
