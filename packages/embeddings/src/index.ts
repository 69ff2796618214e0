export {
  factorized, FactorizedEmbeddingLayer, type FactorizedOptions, type ProjectionMode,
} from './factorized.js';
export { full, type FullOptions } from './full.js';
