import * as tf from '@tensorflow/tfjs-core';

/**
 * Names of the fused kernels core's ops use when the active backend registers them (`@albert-ts/backends` does
 * for wasm); on any other backend the same ops run a composite of standard tfjs ops. Inputs / attrs / outputs of
 * each kernel are documented on its constant; all tensors are float32 unless said otherwise.
 */
export const FUSED_KERNELS = {
  /** inputs `{x: [..., n], gamma: [n], beta: [n]}`, attrs `{epsilon}` → `y` (LayerNorm over the last axis, biased variance). */
  layerNorm: 'AlbertLayerNorm',
  /** inputs `{dy, x, gamma}`, attrs `{epsilon}` → `[dx, dgamma, dbeta]` (mean and variance recomputed from x). */
  layerNormGrad: 'AlbertLayerNormGrad',
  /** inputs `{x}` → `gelu_new(x)` = 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))). */
  geluNew: 'AlbertGeluNew',
  /** inputs `{dy, x}` → `dy · gelu_new'(x)`. */
  geluNewGrad: 'AlbertGeluNewGrad',
  /**
   * inputs `{q, k, v: [B, T, H], mask: [B, 1, 1, T] additive}`, attrs `{numHeads, scale}` → `[context [B, T, H],
   * probs [B, heads, T, T]]`: per head `probs = softmax(scale · q kᵀ + mask)`, `context = probs v` (heads merged).
   */
  attention: 'AlbertAttention',
  /** inputs `{dy: [B, T, H], q, k, v, probs}`, attrs `{numHeads, scale}` → `[dq, dk, dv]`. */
  attentionGrad: 'AlbertAttentionGrad',
  /** inputs `{logits: [N, C], labels: int32 [N]}` → `[N]` = logsumexp(logits) − logits[label] (0 for a label outside [0, C)). */
  softmaxCrossEntropy: 'AlbertSoftmaxCrossEntropy',
  /** inputs `{dy: [N], logits, labels}` → `dy · (softmax(logits) − onehot(labels))`. */
  softmaxCrossEntropyGrad: 'AlbertSoftmaxCrossEntropyGrad',
  /**
   * Optimizer step (no gradient): inputs `{param, m, v, grad}` (same shape), attrs `{beta1, beta2, epsilon,
   * weightDecay, learningRate, layerAdaptation}` → `[param', m', v']`, in the operation order of the trainer's
   * AdamW/LAMB update (google-research/albert, no bias correction; LAMB trust ratio when `layerAdaptation`).
   */
  adamUpdate: 'AlbertAdamUpdate',
  /** No gradient: inputs `{x0, x1, ...}` (any shapes) → scalar Σ of every element squared (global-norm clipping). */
  sumOfSquares: 'AlbertSumOfSquares',
} as const;

/** Attributes of {@link FUSED_KERNELS}.adamUpdate. */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  learningRate: number;
  layerAdaptation: boolean;
}

/** True when the active backend registers every kernel in `names` (then the fused path is taken). */
export function hasKernels(...names: string[]): boolean {
  const backend = tf.getBackend();
  return names.every((n) => tf.getKernel(n, backend) !== undefined);
}

/** Runs a kernel by name on the active backend (no gradient is recorded unless the caller wraps it). */
export function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown> = {}): tf.Tensor[] {
  const out = tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

/**
 * `forward(inputs, save)` with `backward(dy, saved)` as its gradient (tf.customGrad): `backward` returns one
 * gradient per input, in order. Tensors passed to `save` are kept for `backward` only while a gradient is taped.
 */
export function withGradient(
  inputs: tf.Tensor[],
  forward: (inputs: tf.Tensor[], save: tf.GradSaveFunc) => tf.Tensor,
  backward: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[],
): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    return { value: forward(args as tf.Tensor[], save), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => backward(dy, saved) };
  });
  return op(...inputs);
}
