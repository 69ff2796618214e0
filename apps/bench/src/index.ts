export { CONFIGS, SMOKE_CONFIGS, stepFlops, type BenchConfig } from './configs.js';
export {
  createReferenceParams, disposeReferenceParams, referenceEncode, referenceLogits, referenceLoss, type ReferenceParams,
} from './reference-model.js';
export { createBenchData, disposeBenchData, trainStep, forwardStep, type BenchData } from './train-step.js';
export {
  albertConfigOf, albertBatch, createAlbertBench, disposeAlbertBench, albertTrainStep, type AlbertBench,
} from './albert-step.js';
export {
  runTorchPeer, runTorchAlbertPeer, parseTorchOutput, parseTorchAlbertOutput, torchAvailable, torchAlbertScriptPath,
  type TorchResult,
} from './torch-peer.js';
export {
  runBench, timeConfig, timeAlbert, summarize, median, type BenchResult, type BenchSummary, type BenchOutput,
  type KernelProfile, type RunBenchOptions, type TimedRun,
} from './run-bench.js';
export { parseArgs, BenchUsageError, USAGE, type BenchArgs } from './args.js';
export { formatTable, formatSummary, formatProfile } from './format.js';
export { main, type BenchIo } from './main.js';
