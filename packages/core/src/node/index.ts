// Node-only helpers of @albert-ts/core (import from '@albert-ts/core/node'); the main entry stays browser-safe.
export { writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';
export { loadHfModel, saveHfModel, readHfConfigJson } from './hf-directory.js';
