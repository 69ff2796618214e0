// The page's side of the worker protocol: one promise per request, errors rethrown with the worker's message.
import type { Request, ResultOf, Response, WorkerEvent } from './protocol.js';

/** An error the worker answered with (its name and one-line message). */
export class WorkerError extends Error {
  constructor(readonly workerName: string, message: string) {
    super(message);
    this.name = 'WorkerError';
  }
}

export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(e: WorkerEvent) => void>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (e: MessageEvent<Response | WorkerEvent>) => {
      const msg = e.data;
      if ('event' in msg) {
        for (const l of this.listeners) l(msg);
        return;
      }
      const p = this.pending.get(msg.id);
      if (p === undefined) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new WorkerError(msg.error.name, msg.error.message));
    };
    worker.onerror = (e) => {
      const err = new WorkerError('WorkerCrash', e.message || 'the model worker failed to load');
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  /** Sends a request; resolves with its typed result. */
  request<R extends Request>(request: R, transfer: Transferable[] = []): Promise<ResultOf[R['cmd']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, request }, transfer);
    });
  }

  /** Subscribes to worker events (training steps in part two); returns the unsubscribe function. */
  onEvent(listener: (e: WorkerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
