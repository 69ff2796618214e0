import { useBackend } from '@albert-ts/backends';
import { type SharingStrategy, createPretrainingModel, presetConfig } from '@albert-ts/core';
import { saveHfModel } from '@albert-ts/core/node';
import { factorized } from '@albert-ts/embeddings';
import { mlm, sop } from '@albert-ts/objectives';
import { pretrainingData } from '@albert-ts/recipes';
import { Lamb, train } from '@albert-ts/trainer';
await useBackend('wasm'); // one thread per core (at most 8); they do not keep the finished program alive
const pairs: SharingStrategy = { name: 'paired-attention', // layers 2k and 2k+1 share attention, each has its FFN
  slots: (part, L) => (part === 'attention' ? L / 2 : L), slotOf: (part, i) => (part === 'attention' ? i >> 1 : i) };
const data = await pretrainingData({ corpus: 'moby-dick', vocabSize: 1000, batchSize: 8, maxSeqLength: 64 });
const config = presetConfig('albert-tiny', { vocabSize: data.tokenizer.vocabSize });
const model = createPretrainingModel(config, { embeddings: factorized(), sharing: pairs, objectives: [mlm(), sop()] });
await train(model, data.batches, { optimizer: new Lamb(), schedule: { learningRate: 2e-3, totalSteps: 20, warmupSteps: 2 } });
saveHfModel(process.argv[2] ?? 'paired-attention-albert', model, { tokenizerFiles: data.tokenizerFiles });
