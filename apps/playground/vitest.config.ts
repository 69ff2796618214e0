import { albertVitestConfig } from '@albert-ts/vitest-config';

// The browser suites build the app once (test/helpers/app-server.ts caches the build in the test process): one
// process for every file (`singleFork`, no per-file module isolation), one file at a time.
export default albertVitestConfig({
  test: { fileParallelism: false, isolate: false, poolOptions: { forks: { singleFork: true } } },
});
