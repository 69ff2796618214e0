// Backend harness, driven by the Playwright suite (test/webgpu-parity.test.ts) and the throughput script
// (scripts/throughput.ts) through `window.albertHarness`:
// - `parity`: loads an HF fixture model on a backend and returns its forward outputs and the gradients of one
//   training step as plain arrays, which the test compares with the HuggingFace values in Node;
// - `trackLosses`: the losses of N steps of the playground's tiny training (harness/tiny-step.ts) on a backend, so
//   that the test can compare webgpu with wasm;
// - `benchStart`/`benchRun`: a tiny model kept warm on a backend, timed over N training steps;
// - `addN`: a sum of many tensors (more inputs than a WebGPU shader stage has storage buffers).
import * as tf from '@tensorflow/tfjs-core';
import { type BackendInfo, type BackendName, useBackend } from '@albert-ts/backends';
import { modelFromHf, type PretrainingBatch, readSafetensors } from '@albert-ts/core';
import type { PretrainingInstance } from '@albert-ts/data';
import { factorized } from '@albert-ts/embeddings';
import { mlm, type MlmHead, sop, type SentenceHead } from '@albert-ts/objectives';
import { type HarnessSize, TinyTrainer, tinyInstances, tinyLosses } from './tiny-step.js';

/** A fixture as the test sends it: config.json, the safetensors bytes (base64) and the batch as nested arrays. */
export interface ParityInput {
  backend: BackendName;
  config: Record<string, unknown>;
  safetensorsBase64: string;
  batch: {
    inputIds: number[][]; tokenTypeIds: number[][]; attentionMask: number[][]; mlmPositions: number[][];
    mlmIds: number[][]; mlmWeights: number[][]; sentenceLabel: number[];
  };
}

/** A tensor as flat values plus shape. */
export interface Flat {
  shape: number[];
  values: number[];
}

export interface ParityOutput {
  info: BackendInfo;
  outputs: {
    last_hidden_state: Flat; pooler_output: Flat; hidden_states: Flat[]; prediction_logits: Flat; sop_logits: Flat;
    loss: number; mlm_loss: number; sop_loss: number;
  };
  /** Gradient of `loss` for every parameter, canonical (HF AlbertModel / head) names, torch layout. */
  gradients: Record<string, Flat>;
}

/** Tensors the last `parity` or `trackLosses` call left behind (`tf.memory().numTensors` after minus before). */
let lastLeak = Number.NaN;

async function flat(t: tf.Tensor): Promise<Flat> {
  return { shape: [...t.shape], values: Array.from(await t.data()) };
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function parity(input: ParityInput): Promise<ParityOutput> {
  const info = await useBackend(input.backend);
  const before = tf.memory().numTensors;
  const model = modelFromHf(input.config, readSafetensors(decodeBase64(input.safetensorsBase64)), {
    embeddings: factorized(), objectives: [mlm(), sop()],
  });
  const b = input.batch;
  const batch: PretrainingBatch = {
    inputIds: tf.tensor2d(b.inputIds, undefined, 'int32'),
    tokenTypeIds: tf.tensor2d(b.tokenTypeIds, undefined, 'int32'),
    attentionMask: tf.tensor2d(b.attentionMask, undefined, 'int32'),
    mlmPositions: tf.tensor2d(b.mlmPositions, undefined, 'int32'),
    mlmIds: tf.tensor2d(b.mlmIds, undefined, 'int32'),
    mlmWeights: tf.tensor2d(b.mlmWeights, undefined, 'float32'),
    sentenceLabel: tf.tensor1d(b.sentenceLabel, 'int32'),
  };
  const keep: tf.Tensor[] = [];
  try {
    const out = model.albert.apply(
      { inputIds: batch.inputIds, tokenTypeIds: batch.tokenTypeIds, attentionMask: batch.attentionMask },
      { outputHiddenStates: true },
    );
    keep.push(out.lastHiddenState, out.poolerOutput!, ...out.hiddenStates!);
    const predictionLogits = model.head<MlmHead>('mlm')!.logits(out.lastHiddenState);
    const sopLogits = model.head<SentenceHead>('sop')!.logits(out.poolerOutput!);
    keep.push(predictionLogits, sopLogits);

    const params = model.namedParameters();
    let losses: Record<string, tf.Scalar> = {};
    const { value, grads } = tf.variableGrads(() => {
      const r = model.compute(batch);
      losses = Object.fromEntries(Object.entries(r.losses).map(([k, v]) => [k, tf.keep(v)]));
      return r.loss;
    }, [...params.values()]);
    keep.push(value, ...Object.values(losses), ...Object.values(grads));

    const linear = new Set([...model.albert.store.infos(), ...model.headStore.infos()]
      .filter((i) => i.layout === 'linear').map((i) => i.name));
    const gradients: Record<string, Flat> = {};
    for (const [name, variable] of params) {
      const g = grads[variable.name]!;
      const torch = linear.has(name) ? tf.transpose(g) : g; // ours [in, out] -> torch [out, in]
      gradients[name] = await flat(torch);
      if (torch !== g) torch.dispose();
    }
    const outputs: ParityOutput['outputs'] = {
      last_hidden_state: await flat(out.lastHiddenState),
      pooler_output: await flat(out.poolerOutput!),
      hidden_states: await Promise.all(out.hiddenStates!.map(flat)),
      prediction_logits: await flat(predictionLogits),
      sop_logits: await flat(sopLogits),
      loss: (await value.data())[0]!,
      mlm_loss: (await losses['mlm']!.data())[0]!,
      sop_loss: (await losses['sop']!.data())[0]!,
    };
    return { info, outputs, gradients };
  } finally {
    tf.dispose(keep);
    tf.dispose(Object.values(batch) as tf.Tensor[]);
    model.dispose();
    lastLeak = tf.memory().numTensors - before;
  }
}

/** wasm runs with 2 threads here (the page is cross-origin isolated), as in the playground test. */
const WASM_THREADS = 2;
const start = (backend: BackendName) => useBackend(backend, backend === 'wasm' ? { threads: WASM_THREADS } : {});

let instances: Promise<PretrainingInstance[]> | null = null;
/** The training instances of the bundled data (`public/data`, served next to this page's folder). */
function bundledInstances(): Promise<PretrainingInstance[]> {
  instances ??= (async () => {
    const get = async (name: string) => {
      const res = await fetch(new URL(`../data/${name}`, location.href));
      if (!res.ok) throw new Error(`could not load ${name}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    };
    const [spiece, corpus] = await Promise.all([get('spiece.model'), get('corpus.txt')]);
    return tinyInstances(spiece, new TextDecoder().decode(corpus));
  })();
  return instances;
}

/** The losses of `steps` steps of the tiny training (fresh seeded model, same batches) on `backend`. */
async function trackLosses(backend: BackendName, steps: number, size: HarnessSize = 'tiny'): Promise<{ info: BackendInfo; losses: number[] }> {
  const info = await start(backend);
  const data = await bundledInstances();
  const before = tf.memory().numTensors;
  try {
    return { info, losses: await tinyLosses(data, steps, size) };
  } finally {
    lastLeak = tf.memory().numTensors - before;
  }
}

let bench: TinyTrainer | null = null;
/** Starts `backend` and builds the model that `benchRun` trains (one per page). */
async function benchStart(backend: BackendName, size: HarnessSize = 'tiny'): Promise<BackendInfo> {
  const info = await start(backend);
  bench?.dispose();
  bench = new TinyTrainer(await bundledInstances(), size);
  return info;
}
function benchRun(steps: number): Promise<{ tokens: number; seconds: number }> {
  if (bench === null) throw new Error('benchStart first');
  return bench.run(steps);
}

/** `tf.addN` of `count` tensors of `size` elements, tensor i filled with i + 1, on `backend`. */
async function addN(backend: BackendName, count: number, size: number): Promise<{ info: BackendInfo; values: number[] }> {
  const info = await start(backend);
  const inputs = Array.from({ length: count }, (_, i) => tf.fill([size], i + 1));
  const sum = tf.addN(inputs);
  try {
    return { info, values: Array.from(await sum.data()) };
  } finally {
    tf.dispose([...inputs, sum]);
  }
}

declare global {
  interface Window {
    albertHarness: {
      parity: typeof parity; trackLosses: typeof trackLosses; benchStart: typeof benchStart; benchRun: typeof benchRun;
      addN: typeof addN;
      leaked(): number; flag(name: string): unknown;
    };
  }
}

window.albertHarness = {
  parity,
  trackLosses,
  benchStart,
  benchRun,
  addN,
  leaked: () => lastLeak,
  flag: (name) => tf.env().get(name),
};
document.body.dataset['ready'] = 'true';
