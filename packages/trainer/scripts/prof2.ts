import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { presetConfig } from '@albert-ts/core';
import { buildPretrainingSetup, forward, namedGradients } from '../src/index.js';
await tf.setBackend('cpu');
const config = { ...presetConfig('albert-tiny'), hiddenSize: 32, embeddingSize: 16, numHiddenLayers: 2, intermediateSize: 64, numAttentionHeads: 2 };
const setup = buildPretrainingSetup(config, 'sop', 1);
const B = 4, T = 32, P = 5;
const batch = {
  inputIds: tf.randomUniform([B, T], 5, 1999, 'int32') as tf.Tensor2D, tokenTypeIds: tf.zeros([B, T], 'int32') as tf.Tensor2D,
  attentionMask: tf.ones([B, T], 'int32') as tf.Tensor2D, mlmPositions: tf.randomUniform([B, P], 1, T - 1, 'int32') as tf.Tensor2D,
  mlmIds: tf.randomUniform([B, P], 5, 1999, 'int32') as tf.Tensor2D, mlmWeights: tf.ones([B, P]) as tf.Tensor2D, sentenceLabel: tf.zeros([B], 'int32') as tf.Tensor1D,
};
const params = setup.model.namedParameters();
for (let i = 0; i < 3; i++) {
  let t = Date.now();
  const l = tf.tidy(() => forward(setup, setup.trainingHeads, batch, false, 0).loss.dataSync()[0]);
  console.log('fwd', Date.now() - t, l); t = Date.now();
  const l2 = tf.tidy(() => forward(setup, setup.trainingHeads, batch, true, 7).loss.dataSync()[0]);
  console.log('fwd train', Date.now() - t, l2); t = Date.now();
  const r = namedGradients(params, () => forward(setup, setup.trainingHeads, batch, true, 7));
  console.log('grad', Date.now() - t, r.loss); for (const g of r.grads.values()) g.dispose();
}
console.log(config.hiddenDropoutProb, config.attentionProbsDropoutProb, config.classifierDropoutProb);
const prof = await tf.profile(() => { const r = namedGradients(params, () => forward(setup, setup.trainingHeads, batch, true, 7)); for (const g of r.grads.values()) g.dispose(); });
const agg = new Map<string, number>();
for (const k of prof.kernels) agg.set(k.name, (agg.get(k.name) ?? 0) + (k.kernelTimeMs as number));
console.log([...agg].sort((a, b) => b[1] - a[1]).slice(0, 12));
