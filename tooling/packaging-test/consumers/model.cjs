// CommonJS consumer of the model packages and the pipelines (Node >= 20.19 loads the ES modules through require()).
const tf = require('@tensorflow/tfjs-core');
const { useBackend } = require('@albert-ts/backends');
const { createAlbert, presetConfig } = require('@albert-ts/core');
const { factorized } = require('@albert-ts/embeddings');
const { allShared } = require('@albert-ts/sharing');
const { pipeline } = require('@albert-ts/pipelines/node');

async function main() {
  await useBackend('wasm');
  const model = createAlbert(presetConfig('albert-tiny'), { embeddings: factorized(), sharing: allShared() });
  const { lastHiddenState } = model.apply({ inputIds: tf.tensor2d([[2, 10, 11, 12, 3]], undefined, 'int32') });
  console.log(JSON.stringify({ sharing: 'all-shared', parameters: model.countParameters(), shape: lastHiddenState.shape }));
  model.dispose();
  const unmask = await pipeline('fill-mask', process.argv[2]);
  console.log(JSON.stringify(await unmask('The capital of France is [MASK].', { top_k: 3 })));
  unmask.dispose();
}
main().catch((err) => { console.error(err); process.exit(1); });
