// Node-only helpers of @albert-ts/core (import from '@albert-ts/core/node'); the main entry stays browser-safe.
export { writeFileAtomic, writeFileAtomicSync, writeFileDurable, fsyncDir } from './atomic-write.js';
export {
  type HfDirectory, loadHfModel, saveHfModel, readHfDirectory, readHfConfigJson, readFileChecked, writeFiles,
} from './hf-directory.js';
export { loadConfig } from './config-file.js';
