// Child process for the run-lock tests: takes the lock of LOCK_DIR, prints "locked" and waits (at most a minute) to
// be killed. It handles no signal itself, so SIGTERM ends it the default way (the lock releases itself first).
import { acquireRunLock } from '../../src/node/index.js';

// vite-node (the runner of this child) handles SIGTERM itself; leave the signal to the default, as in a plain program.
process.removeAllListeners('SIGTERM');
process.removeAllListeners('SIGINT');
acquireRunLock(process.env.LOCK_DIR!, { label: 'lock-holder' });
process.stdout.write('locked\n');
setTimeout(() => undefined, 60_000);
