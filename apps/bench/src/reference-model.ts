import * as tf from '@tensorflow/tfjs-core';
import type { BenchConfig } from './configs.js';

/**
 * The reference model of `../shared/bench/torch_step.py`, written with tfjs-core ops: embedding V x E, projection
 * E -> H, L post-LN transformer layers sharing one set of weights (no biases), tanh-GELU, tied output logits
 * `(x @ proj^T) @ emb^T`, full softmax cross-entropy over every token.
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

function layerNorm(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor2D {
  const mean = tf.mean(x, -1, true); // [N, 1]
  const xc = tf.sub(x, mean);
  const variance = tf.mean(tf.mul(xc, xc), -1, true); // biased, [N, 1]
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, 1e-12))), g), b);
}

function geluTanh(x: tf.Tensor2D): tf.Tensor2D {
  // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))); x*x*x instead of pow (much faster on wasm)
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

function encoderLayer(x: tf.Tensor2D, p: ReferenceParams, c: BenchConfig, batch: number): tf.Tensor2D {
  const T = c.seqLen;
  const nh = c.heads;
  const dh = c.hidden / nh;
  // [B*T, H] @ [H, H] -> [B*T, H] -> [B, T, NH, dh] -> [B, NH, T, dh]
  const split = (w: tf.Tensor) => tf.transpose(tf.reshape(tf.matMul(x, w), [batch, T, nh, dh]), [0, 2, 1, 3]);
  const q = split(p.q);
  const k = split(p.k);
  const v = split(p.v);
  // [B, NH, T, dh] @ [B, NH, dh, T] -> [B, NH, T, T]
  const a = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)));
  // [B, NH, T, T] @ [B, NH, T, dh] -> [B, NH, T, dh] -> [B, T, NH, dh] -> [B*T, H]
  const ctx = tf.reshape(tf.transpose(tf.matMul(a, v), [0, 2, 1, 3]), [batch * T, c.hidden]);
  const h = layerNorm(tf.add(tf.matMul(ctx, p.o), x), p.g1 as tf.Tensor1D, p.b1 as tf.Tensor1D);
  const f = tf.matMul(geluTanh(tf.matMul(h, p.f1)), p.f2);
  return layerNorm(tf.add(f, h), p.g2 as tf.Tensor1D, p.b2 as tf.Tensor1D);
}

/** Hidden states [B*T, H] of the encoder for `ids` (int32 [B*T]). */
export function referenceEncode(p: ReferenceParams, c: BenchConfig, ids: tf.Tensor1D, batch: number): tf.Tensor2D {
  let x = tf.matMul(tf.gather(p.emb, ids), p.proj) as tf.Tensor2D; // [B*T, E] @ [E, H] -> [B*T, H]
  for (let l = 0; l < c.layers; l++) x = encoderLayer(x, p, c, batch);
  return x;
}

/** Tied output logits [B*T, V] = (x @ proj^T) @ emb^T. */
export function referenceLogits(p: ReferenceParams, x: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(tf.matMul(x, p.proj, false, true), p.emb, false, true);
}

/** Mean softmax cross-entropy over all B*T tokens (labels int32 [B*T]). */
export function referenceLoss(p: ReferenceParams, c: BenchConfig, ids: tf.Tensor1D, labels: tf.Tensor1D, batch: number): tf.Scalar {
  const logits = referenceLogits(p, referenceEncode(p, c, ids, batch));
  const n = logits.shape[0];
  const v = logits.shape[1];
  const logp = tf.reshape(tf.logSoftmax(logits), [n * v]); // [N, V] -> [N*V]
  // position of each label in the flattened [N*V] log-probabilities
  const flat = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(v, 'int32')), labels);
  return tf.neg(tf.mean(tf.gather(logp, flat))) as tf.Scalar;
}
