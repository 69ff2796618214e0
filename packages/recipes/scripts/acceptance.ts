// Acceptance measurements (not a test): pretrain albert-tiny on the bundled `sotu` corpus with each objective on
// wasm, then fine-tune the SOP-pretrained model and a randomly initialised one on a downstream task.
//   node <vite-node> --config vitest.config.ts scripts/acceptance.ts  (env: STEPS, OBJECTIVES, TASK, OUT, ...)
import fs from 'node:fs';
import path from 'node:path';
import { useBackend, type BackendName } from '@albert-ts/backends';
import { fixturePath } from '@albert-ts/testing';
import { finetune, pretrain, wilson } from '../src/index.js';

const env = (k: string, d: string) => process.env[k] ?? d;
const OUT = path.resolve(env('OUT', '/tmp/albert-acceptance'));
const STEPS = Number(env('STEPS', '300'));
const BATCH = Number(env('BATCH', '16'));
const SEQ = Number(env('SEQ', '64'));
const LR = Number(env('LR', '0.005'));
const BACKEND = env('BACKEND', 'wasm');
const OBJECTIVES = env('OBJECTIVES', 'sop,nsp,none').split(',').filter(Boolean) as ('sop' | 'nsp' | 'none')[];
const TASK = env('TASK', 'moby-vs-sotu');
const results: Record<string, unknown> = { steps: STEPS, batchSize: BATCH, maxSeqLength: SEQ, lr: LR, backend: BACKEND };
await useBackend(BACKEND as BackendName);
fs.mkdirSync(OUT, { recursive: true });
const save = () => fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(results, null, 2) + '\n');

for (const objective of OBJECTIVES) {
  const t0 = Date.now();
  const r = await pretrain({
    config: 'albert-tiny', objective, corpus: 'sotu', vocab: fixturePath('sentencepiece', 'unigram2k.model'),
    steps: STEPS, batchSize: BATCH, maxSeqLength: SEQ, lr: LR, evalEvery: Math.max(1, Math.floor(STEPS / 4)),
    evalExamples: Number(env('EVAL_EXAMPLES', '64')), out: path.join(OUT, `pretrain-${objective}`), resume: true, seed: 1,
  });
  results[`pretrain-${objective}`] = {
    status: r.status, seconds: (Date.now() - t0) / 1000, tokensPerSecond: r.tokensPerSecond,
    firstEval: r.eval[0], lastEval: r.eval.at(-1), parameters: r.parameterCount,
  };
  save();
}

if (env('FINETUNE', '1') === '1') {
  const from = path.join(OUT, `pretrain-${OBJECTIVES[0]}`);
  const common = {
    task: TASK, epochs: Number(env('EPOCHS', '2')), lr: Number(env('FT_LR', '0.0005')), batchSize: 16, maxSeqLength: Number(env('FT_SEQ', String(SEQ))),
    maxTrainExamples: Number(env('MAX_TRAIN', '1000')), maxEvalExamples: Number(env('MAX_EVAL', '400')), seed: 1,
  };
  for (const [name, fromScratch] of [['pretrained', false], ['random-init', true]] as const) {
    const t0 = Date.now();
    const r = await finetune({ ...common, model: from, fromScratch, out: path.join(OUT, `finetune-${TASK}-${name}`) });
    results[`finetune-${TASK}-${name}`] = {
      seconds: (Date.now() - t0) / 1000, validation: r.validation, test: r.test, testWilson95: wilson(Math.round(r.test.accuracy * r.test.count), r.test.count),
    };
    save();
  }
}
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
process.exit(0); // a wasm backend may keep worker handles open
