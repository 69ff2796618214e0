// @albert-ts/trainer/node: the parts of training that need Node (disk checkpoints, signals, JSON Lines files).
// The main entry `@albert-ts/trainer` has no node: imports and runs in a browser worker.
export {
  CHECKPOINTS_DIR, LATEST_FILE, checkpointName, listCheckpoints, latestCheckpoint, resolveModelDir, writeCheckpointDir,
  type CheckpointWriteOptions,
} from './layout.js';
export { diskCheckpoints, readTrainerState, type DiskCheckpointOptions } from './disk-checkpoints.js';
export { stopOnSignals, type SignalStop } from './signals.js';
export { metricsFile } from './metrics-file.js';
export {
  LOCK_FILE, RunLockedError, acquireRunLock, withRunLock, type RunLock, type RunLockHolder, type RunLockOptions,
} from './run-lock.js';
