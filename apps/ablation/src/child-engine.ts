// Runs side by side: an engine that trains each run in a worker process of its own (`--parallel N`, each worker
// with its own backend and `threads` threads), so that two single-threaded runs can share two cores instead of one
// two-threaded run. Each worker prepares its data once and trains the runs it is handed one after another; the
// parent only schedules, relays progress and writes results.
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PaperTable } from '@albert-ts/analysis';
import type { BackendName } from '@albert-ts/backends/names';
import type { Engine, MeasuredRun, RunContext } from './ablate.js';
import { AblationError, AblationInterrupted } from './errors.js';
import type { Preset, RunSpec } from './presets.js';
import type { Versions } from './results.js';

/** Parent → worker. */
export type ToWorker =
  | { type: 'init'; preset: Preset; sharedDir: string; backend: BackendName; threads: number; vocab?: string }
  | { type: 'run'; spec: RunSpec; runDir: string }
  | { type: 'exit' };

/** Worker → parent. */
export type FromWorker =
  | { type: 'ready'; backend: string; threads?: number; versions: Versions; paperTables: PaperTable[] }
  | { type: 'step'; key: string; step: number; info: { loss?: number; tokensPerS?: number } }
  | { type: 'note'; key?: string; text: string }
  | { type: 'done'; key: string; result: MeasuredRun }
  | { type: 'error'; key?: string; message: string; kind: 'interrupted' | 'usage' | 'bug' };

/** Options of {@link createChildProcessEngine}. */
export interface ChildEngineOptions {
  backend: BackendName;
  /** Worker processes, i.e. runs trained at the same time. */
  parallel: number;
  /** Backend threads of each worker (default 1). */
  threads?: number;
  vocab?: string;
  /** How to start a worker: a module run by `fork` with arguments (default: `worker.js` beside this file). */
  worker?: { modulePath: string; args?: string[] };
}

interface Worker {
  child: ChildProcess;
  busy: boolean;
  exited: boolean;
  /** Handler of the run in progress (or of start-up). */
  onMessage?: (m: FromWorker) => void;
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/** An engine whose runs happen in `parallel` worker processes. */
export function createChildProcessEngine(o: ChildEngineOptions): Engine {
  const threads = o.threads ?? 1;
  const workers: Worker[] = [];
  let ready: Extract<FromWorker, { type: 'ready' }> | undefined;
  let interrupted: NodeJS.Signals | undefined;
  const waiting: Array<{ resolve: (w: Worker) => void; reject: (e: Error) => void }> = [];
  const here = fileURLToPath(import.meta.url);
  const command = o.worker ?? { modulePath: path.join(path.dirname(here), 'worker.js'), args: [] };

  // A signal reaches the workers too (same process group, or forwarded here): they save their checkpoints and
  // report an interruption; the parent waits for that instead of dying.
  const onSignal = (sig: NodeJS.Signals): void => {
    interrupted ??= sig;
    for (const w of workers) if (!w.exited) w.child.kill(sig);
  };

  const start = (p: Preset, sharedDir: string, note: (s: string) => void): Promise<Worker> => {
    const child = fork(command.modulePath, command.args ?? [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const w: Worker = { child, busy: true, exited: false };
    child.on('message', (m: FromWorker) => {
      if (m.type === 'note' && m.key === undefined) note(m.text);
      else w.onMessage?.(m);
    });
    child.on('exit', (code, signal) => {
      w.exited = true;
      w.onExit?.(code, signal);
      // No worker left to hand a run to: fail whoever waits for one instead of leaving it waiting.
      if (workers.every((x) => x.exited)) for (const q of waiting.splice(0)) q.reject(new Error(`every ablation worker has exited (the last: ${signal ?? `code ${code}`})`));
    });
    workers.push(w);
    return new Promise((resolve, reject) => {
      w.onMessage = (m) => {
        if (m.type === 'ready') {
          ready = m;
          w.busy = false;
          w.onMessage = undefined;
          w.onExit = undefined;
          resolve(w);
        } else if (m.type === 'error') reject(toError(m));
      };
      w.onExit = (code, signal) => reject(interrupted ? new AblationInterrupted(`interrupted by ${interrupted} while starting`) : new Error(`ablation worker exited during start-up (${signal ?? `code ${code}`})`));
      child.send({ type: 'init', preset: p, sharedDir, backend: o.backend, threads, vocab: o.vocab } satisfies ToWorker);
    });
  };

  const acquire = (): Promise<Worker> => {
    const idle = workers.find((w) => !w.busy && !w.exited);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    if (workers.every((w) => w.exited)) return Promise.reject(new Error('every ablation worker has exited'));
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
  const release = (w: Worker): void => {
    w.busy = false;
    w.onMessage = undefined;
    w.onExit = undefined;
    if (w.exited || waiting.length === 0) return;
    w.busy = true;
    waiting.shift()!.resolve(w);
  };

  return {
    get backend() {
      return ready?.backend ?? o.backend;
    },
    get threads() {
      return ready?.threads ?? threads;
    },
    concurrency: o.parallel,
    versions: () => ready?.versions ?? { 'albert-ts': 'unknown', ablation: 'unknown', 'tfjs-core': 'unknown', node: process.version, backend: o.backend },
    paperTables: () => ready?.paperTables ?? [],

    async prepare(p, sharedDir, note) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      // The files every worker reads (sampled corpus, vocabulary) are written once, here, before any worker starts.
      const { prepareSharedFiles } = await import('./engine.js');
      await prepareSharedFiles(p, sharedDir, note, o.vocab);
      note(`starting ${o.parallel} worker processes (${o.backend}, ${threads} thread${threads === 1 ? '' : 's'} each)`);
      await Promise.all(Array.from({ length: o.parallel }, () => start(p, sharedDir, note)));
    },

    async run(spec: RunSpec, ctx: RunContext): Promise<MeasuredRun> {
      if (interrupted) throw new AblationInterrupted(`interrupted by ${interrupted}; re-run with the same --out to resume`);
      const w = await acquire();
      try {
        return await new Promise<MeasuredRun>((resolve, reject) => {
          w.onMessage = (m) => {
            if (m.type === 'step' && m.key === spec.key) ctx.onStep(m.step, m.info);
            else if (m.type === 'note') ctx.note(m.text);
            else if (m.type === 'done' && m.key === spec.key) resolve(m.result);
            else if (m.type === 'error') reject(toError(m));
          };
          w.onExit = (code, signal) => reject(interrupted || signal === 'SIGINT' || signal === 'SIGTERM'
            ? new AblationInterrupted(`run ${spec.key} was interrupted (${interrupted ?? signal}); re-run with the same --out to resume`)
            : new Error(`the worker training ${spec.key} exited (${signal ?? `code ${code}`})`));
          w.child.send({ type: 'run', spec, runDir: ctx.runDir } satisfies ToWorker);
        });
      } finally {
        release(w);
      }
    },

    async close() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await Promise.all(workers.filter((w) => !w.exited).map((w) => new Promise<void>((resolve) => {
        const timer = setTimeout(() => w.child.kill('SIGKILL'), 10_000);
        w.child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        w.child.send({ type: 'exit' } satisfies ToWorker);
      })));
    },
  };
}

function toError(m: Extract<FromWorker, { type: 'error' }>): Error {
  if (m.kind === 'interrupted') return new AblationInterrupted(m.message);
  if (m.kind === 'usage') return new AblationError(m.message);
  return new Error(m.message);
}
