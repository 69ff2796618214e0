import type { Accuracy, RunResult, SharingName, Study, InterSentence } from '../../src/results.js';
import { wilson } from '../../src/stats.js';

const acc = (correct: number, n: number): Accuracy => {
  const w = wilson(correct, n);
  return { acc: w.value, ci95: [w.lo, w.hi], n };
};

/**
 * Builds a synthetic run; accuracies are given as correct counts over n. `sop` / `nsp` are the sentence head's scores
 * on SOP and NSP pairs, stored under the names the objective gives them (an SOP-trained head on NSP pairs is
 * `sop_head_on_nsp_pairs`, ...). `baseline` is the most-frequent-token count over the MLM n (default 5%); the run
 * "learned" when the MLM interval is above the baseline's. `cues` are the length and punctuation rules' correct
 * counts on both pair sets (default 50% and 51%).
 */
export function makeRun(p: {
  study: Study;
  E?: number;
  sharing?: SharingName;
  objective?: InterSentence;
  seed?: number;
  params?: number;
  mlm?: [number, number];
  baseline?: number;
  nsp?: [number, number];
  sop?: [number, number];
  cues?: [number, number];
  layers?: Array<[number, number]>;
}): RunResult {
  const E = p.E ?? 32;
  const sharing = p.sharing ?? 'all-shared';
  const objective = p.objective ?? 'sop';
  const label = p.study === 'objective' ? `${objective}` : `E=${E} ${sharing}`;
  const [mc, mn] = p.mlm ?? [500, 5000];
  const mlm = acc(mc, mn);
  const baseline = acc(Math.round(p.baseline ?? 0.05 * mn), mn);
  const sop = acc(...(p.sop ?? [250, 500]));
  const nsp = acc(...(p.nsp ?? [250, 500]));
  const sentence = objective === 'sop' ? { sop_acc: sop, sop_head_on_nsp_pairs: nsp }
    : objective === 'nsp' ? { nsp_acc: nsp, nsp_head_on_sop_pairs: sop }
      : { untrained_head_on_sop_pairs: sop, untrained_head_on_nsp_pairs: nsp };
  const [len, punct] = p.cues ?? [250, 255];
  const cues = { length_rule: acc(len, 500), punctuation_rule: acc(punct, 500) };
  return {
    id: `${p.study}/${label}/s${p.seed ?? 0}`,
    study: p.study,
    label,
    variant: { embeddingSize: E, hiddenSize: 64, sharing, objective, corpus: 'sotu' },
    params: p.params ?? 1000,
    tokens_per_s: 100,
    wall_s: 10,
    seconds: { setup: 1, pretrain: 8, eval: 0.5, finetune: 0.5, total: 10 },
    steps: 10,
    tokens_seen: 1000,
    intrinsic: {
      mlm_acc: mlm,
      mlm_baseline: baseline,
      mlm_left_baseline: mlm.ci95[0] > baseline.ci95[1],
      ...sentence,
      pair_cues: { sop: cues, nsp: cues },
      attention_entropy: { mean: 3.9, uniform: 4.1, by_layer: [3.8, 4.0] },
    },
    downstream: { spam: 0.8 },
    downstream_ci95: { spam: { ci95: [0.7, 0.9], n: 100 } },
    downstream_random_init: { spam: { acc: 0.6, ci95: [0.5, 0.69], n: 100, f1: 0.5 } },
    layers: (p.layers ?? [[5, 30], [5, 30]]).map(([l2, c]) => ({ l2, cosine_deg: c, l2_sd: 1, cosine_deg_sd: 2, tokens: 2000 })),
    curves: [],
    config: { model: {}, training: {} },
    seed: p.seed ?? 0,
    versions: { 'albert-ts': '0', ablation: '0', 'tfjs-core': '4.22.0', node: 'v20', backend: 'cpu' },
  };
}
