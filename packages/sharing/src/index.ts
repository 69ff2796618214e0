export {
  allShared, sharedAttention, sharedFfn, notShared, grouped, parseSharing, SHARING_NAMES, SHARING_ALIASES,
} from './strategies.js';
export type { Part, SharingStrategy } from '@albert-ts/core';
