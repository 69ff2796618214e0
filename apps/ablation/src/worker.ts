// A worker process of `--parallel N` (see child-engine.ts): its own backend, its own prepared data, and the runs the
// parent hands it, one after another. Talks to the parent over the IPC channel only.
import { AlbertError } from '@albert-ts/errors';
import type { Engine } from './ablate.js';
import type { FromWorker, ToWorker } from './child-engine.js';
import { createAlbertEngine } from './engine.js';
import { AblationInterrupted } from './errors.js';
import type { Preset } from './presets.js';

const send = (m: FromWorker): void => {
  if (process.connected) process.send?.(m);
};

function errorMessage(e: unknown, key?: string): FromWorker {
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  const kind = e instanceof AblationInterrupted ? 'interrupted' : e instanceof AlbertError ? 'usage' : 'bug';
  return { type: 'error', key, message: kind === 'bug' && e instanceof Error ? (e.stack ?? message) : message, kind };
}

let engine: Engine | undefined;
let preset: Preset | undefined;
let sharedDir = '';
// Messages are handled one at a time: a run never starts before the previous one (or start-up) has finished.
let queue = Promise.resolve();
let running = false;

/**
 * Ends the worker as the programs end (runMain): no process.exit(), which would drop output still queued for the
 * inherited stdout and stderr. The wasm backend's threads are shut down and the IPC channel closed; Node then exits
 * by itself once everything queued is written.
 */
async function finish(): Promise<void> {
  if (engine !== undefined) (await import('@albert-ts/backends')).shutdownBackends();
  if (process.connected) process.disconnect();
}

process.on('disconnect', () => {
  // The parent is gone: a run in progress stops as on Ctrl-C (it saves its checkpoint), then the worker ends.
  if (running) process.kill(process.pid, 'SIGTERM');
  queue = queue.then(finish);
});
process.on('message', (m: ToWorker) => {
  queue = queue.then(async () => {
    if (m.type === 'exit') {
      await finish();
      return;
    }
    if (m.type === 'init') {
      try {
        preset = m.preset;
        sharedDir = m.sharedDir;
        engine = createAlbertEngine({ backend: m.backend, threads: m.threads, vocab: m.vocab });
        await engine.prepare(m.preset, m.sharedDir, (text) => send({ type: 'note', text }));
        send({ type: 'ready', backend: engine.backend, threads: engine.threads, versions: engine.versions(), paperTables: engine.paperTables() });
      } catch (e) {
        send(errorMessage(e));
      }
      return;
    }
    const { spec, runDir } = m;
    running = true;
    try {
      if (!engine || !preset) throw new Error('run before init');
      const result = await engine.run(spec, {
        preset, runDir, sharedDir,
        onStep: (step, info) => send({ type: 'step', key: spec.key, step, info }),
        note: (text) => send({ type: 'note', key: spec.key, text }),
      });
      send({ type: 'done', key: spec.key, result });
    } catch (e) {
      send(errorMessage(e, spec.key));
    } finally {
      running = false;
    }
  });
});
