import { albertVitestConfig } from '@albert-ts/vitest-config';

export default albertVitestConfig();
