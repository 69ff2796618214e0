import { TrainerError } from '../errors.js';
import { AdamW } from './adamw.js';
import { Lamb } from './lamb.js';
import type { AdamFamilyOptions, Optimizer } from './optimizer.js';

/** Optimizer names accepted by {@link createOptimizer}. */
export type OptimizerName = 'lamb' | 'adamw';

/** Builds `'lamb'` or `'adamw'` with ALBERT's defaults; throws TrainerError for any other name. */
export function createOptimizer(name: string, options: AdamFamilyOptions = {}): Optimizer {
  if (name === 'lamb') return new Lamb(options);
  if (name === 'adamw') return new AdamW(options);
  throw new TrainerError(`optimizer: '${name}' is not one of lamb, adamw`, { field: 'optimizer', value: name });
}
