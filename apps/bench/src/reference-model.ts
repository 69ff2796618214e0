import * as tf from '@tensorflow/tfjs-core';
import { geluNew, layerNorm, multiHeadAttention, softmaxCrossEntropy } from '@albert-ts/core';
import type { BenchConfig } from './configs.js';

/**
 * The reference model of `../shared/bench/torch_step.py`, written with tfjs-core ops and core's fused ops (LayerNorm,
 * tanh-GELU, attention, softmax cross-entropy: one kernel each on wasm): embedding V x E, projection E -> H, L
 * post-LN transformer layers sharing one set of weights (no biases), tied output logits `(x @ proj^T) @ emb^T`, full
 * softmax cross-entropy over every token.
 */
export interface ReferenceParams {
  emb: tf.Variable; proj: tf.Variable;
  q: tf.Variable; k: tf.Variable; v: tf.Variable; o: tf.Variable;
  f1: tf.Variable; f2: tf.Variable;
  g1: tf.Variable; b1: tf.Variable; g2: tf.Variable; b2: tf.Variable;
}

/** Creates the parameters (normal(0, 0.02) weights, LayerNorm ones/zeros), like torch_step.py. */
export function createReferenceParams(c: BenchConfig, seed = 0): ReferenceParams {
  const ff = 4 * c.hidden;
  let s = seed;
  const own = (init: tf.Tensor) => {
    const v = tf.variable(init);
    init.dispose();
    return v;
  };
  const p = (shape: number[]) => own(tf.randomNormal(shape, 0, 0.02, 'float32', ++s));
  return {
    emb: p([c.vocab, c.embedding]), proj: p([c.embedding, c.hidden]),
    q: p([c.hidden, c.hidden]), k: p([c.hidden, c.hidden]), v: p([c.hidden, c.hidden]), o: p([c.hidden, c.hidden]),
    f1: p([c.hidden, ff]), f2: p([ff, c.hidden]),
    g1: own(tf.ones([c.hidden])), b1: own(tf.zeros([c.hidden])),
    g2: own(tf.ones([c.hidden])), b2: own(tf.zeros([c.hidden])),
  };
}

/** Disposes every parameter. */
export function disposeReferenceParams(p: ReferenceParams): void {
  for (const v of Object.values(p)) v.dispose();
}

function encoderLayer(x: tf.Tensor2D, p: ReferenceParams, c: BenchConfig, batch: number, mask: tf.Tensor4D): tf.Tensor2D {
  const T = c.seqLen;
  // [B*T, H] @ [H, H] -> [B*T, H] -> [B, T, H]; core's attention splits heads itself (one fused kernel on wasm)
  const proj = (w: tf.Tensor) => tf.reshape(tf.matMul(x, w), [batch, T, c.hidden]) as tf.Tensor3D;
  const attended = multiHeadAttention(proj(p.q), proj(p.k), proj(p.v), mask, c.heads); // softmax(q k^T / sqrt(dh)) v
  const ctx = tf.reshape(attended, [batch * T, c.hidden]); // [B, T, H] -> [B*T, H]
  const h = layerNorm(tf.add(tf.matMul(ctx, p.o), x), p.g1, p.b1, 1e-12); // biased variance, as torch
  const f = tf.matMul(geluNew(tf.matMul(h, p.f1)), p.f2); // tanh-GELU
  return layerNorm(tf.add(f, h), p.g2, p.b2, 1e-12);
}

/** Hidden states [B*T, H] of the encoder for `ids` (int32 [B*T]). */
export function referenceEncode(p: ReferenceParams, c: BenchConfig, ids: tf.Tensor1D, batch: number): tf.Tensor2D {
  let x = tf.matMul(tf.gather(p.emb, ids), p.proj) as tf.Tensor2D; // [B*T, E] @ [E, H] -> [B*T, H]
  const mask = tf.zeros([batch, 1, 1, c.seqLen]) as tf.Tensor4D; // additive, no padding (as torch_step.py)
  for (let l = 0; l < c.layers; l++) x = encoderLayer(x, p, c, batch, mask);
  return x;
}

/** Tied output logits [B*T, V] = (x @ proj^T) @ emb^T. */
export function referenceLogits(p: ReferenceParams, x: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(tf.matMul(x, p.proj, false, true), p.emb, false, true);
}

/** Mean softmax cross-entropy over all B*T tokens (labels int32 [B*T]). */
export function referenceLoss(p: ReferenceParams, c: BenchConfig, ids: tf.Tensor1D, labels: tf.Tensor1D, batch: number): tf.Scalar {
  return tf.mean(softmaxCrossEntropy(referenceLogits(p, referenceEncode(p, c, ids, batch)), labels)) as tf.Scalar;
}
