// Private test helpers shared by every package's tests.
export { repoRoot, sharedDir, fixturePath, readJsonFixture, readBinaryFixture } from './paths.js';
export { type Nested, flatten, shapeOf, maxAbsDiff, expectNoLeaks } from './tensors.js';
export { type TestBackend, useTestBackend } from './backend.js';
export {
  type HfAlbertFixture, HF_ALBERT_FIXTURES, readHfAlbertFixture, hfFixtureBatchArrays,
} from './hf-albert-fixture.js';
export { registerWasmFallbackKernels } from './wasm-fallback-kernels.js';
export { spawnTs, viteNodeCommand } from './child.js';
export { thrown } from './thrown.js';
export { reachableImports, nodeOnlyImports } from './imports.js';
export { type PipedRun, type PipeOptions, runPiped, runToFile } from './pipes.js';
export {
  type FuzzSpec, type FuzzReport, ALLOCATION_SLACK_BYTES, fc, fuzzParser, fuzzRuns, fuzzSelected, fuzzTimeout,
  hostileJsonText, mutatedBytes, mutatedJson, trackAllocations,
} from './fuzz.js';
