// Training in the worker: the slot that part two of the playground fills with @albert-ts/trainer's `train()`
// (issue 12 turns the trainer into a browser-safe library). Until then the worker reports that it cannot train, and
// the page disables its Train button with that reason; nothing here pretends to train.
import { PlaygroundError } from '../errors.js';
import type { Capabilities, TrainRequest } from '../protocol.js';

export const TRAINING: Capabilities['training'] = {
  available: false,
  reason:
    'Training arrives with the browser-safe trainer library (issue 12); until then the playground builds, probes, ' +
    'exports and imports models but does not train them.',
};

/** Handles a `train` request. */
export async function train(_request: TrainRequest): Promise<{ steps: number }> {
  throw new PlaygroundError(TRAINING.reason);
}
