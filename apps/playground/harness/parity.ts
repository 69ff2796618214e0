// Backend parity harness, driven by the Playwright suite (test/webgpu-parity.test.ts): loads an HF fixture model
// on the requested backend and returns its forward outputs and the gradients of one training step as plain
// arrays, which the test compares with the HuggingFace values in Node. Part two adds the 20-step wasm-vs-webgpu
// loss tracking here (another function on `window.albertHarness`, same pattern).
import * as tf from '@tensorflow/tfjs-core';
import { type BackendInfo, type BackendName, useBackend } from '@albert-ts/backends';
import { modelFromHf, type PretrainingBatch, readSafetensors } from '@albert-ts/core';
import { factorized } from '@albert-ts/embeddings';
import { mlm, type MlmHead, sop, type SentenceHead } from '@albert-ts/objectives';

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

/** Tensors the last `parity` call left behind (`tf.memory().numTensors` after minus before). */
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

declare global {
  interface Window {
    albertHarness: { parity: typeof parity; leaked(): number; flag(name: string): unknown };
  }
}

window.albertHarness = {
  parity,
  leaked: () => lastLeak,
  flag: (name) => tf.env().get(name),
};
document.body.dataset['ready'] = 'true';
