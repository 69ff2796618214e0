import { albertVitestConfig } from '@albert-ts/vitest-config';

// isolate: false: the test files share one worker and its module cache (tfjs-core, the gradient registry, parsed
// corpora and fixtures are loaded once instead of once per file). Every test file here is independent of module
// state (CPU backend only, no mocks), and this roughly halves the package's suite time on a 2-core box.
export default albertVitestConfig({ test: { isolate: false } });
