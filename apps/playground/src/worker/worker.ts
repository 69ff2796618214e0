// The model worker: every tensor lives here, so the page stays responsive. Requests are handled one at a time
// in arrival order, except `stop`, answered at once: it aborts the training in progress, which ends after its
// current step (the trainer yields to the event loop between steps, so the message gets through). A failure
// answers that request with its one-line error and leaves the worker usable.
import { Session } from './session.js';
import type { Request, Response, WorkerEvent } from '../protocol.js';

interface WorkerScope {
  onmessage: ((e: MessageEvent<{ id: number; request: Request }>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;
const session = new Session();
/** The training in progress (its `stop`). */
let training: AbortController | null = null;

async function trainSlot(request: Extract<Request, { cmd: 'train' }>) {
  training = new AbortController();
  try {
    return await session.train(request, training.signal, (e: WorkerEvent) => scope.postMessage(e));
  } finally {
    training = null;
  }
}

async function handle(request: Request): Promise<{ result: unknown; transfer?: Transferable[] }> {
  switch (request.cmd) {
    case 'init':
      return { result: await session.init(request) };
    case 'build':
      return { result: session.build(request.slot, request.variant) };
    case 'tokenize':
      return { result: session.tokenize(request.text) };
    case 'fill-mask':
      return { result: await session.fillMask(request.slot, request.text, request.topK) };
    case 'geometry':
      return { result: await session.geometry(request.slot) };
    case 'export': {
      const result = session.export(request.slot);
      return { result, transfer: [result.zip.buffer as ArrayBuffer] };
    }
    case 'import':
      return { result: session.import(request.slot, request.files) };
    case 'train':
      return { result: await trainSlot(request) };
    default:
      throw new Error(`unknown command ${(request as { cmd: string }).cmd}`);
  }
}

let queue: Promise<void> = Promise.resolve();
scope.onmessage = (e) => {
  const { id, request } = e.data;
  if (request.cmd === 'stop') {
    const stopped = training !== null;
    training?.abort();
    scope.postMessage({ id, ok: true, result: { stopped } } satisfies Response);
    return;
  }
  queue = queue.then(async () => {
    let response: Response;
    let transfer: Transferable[] = [];
    try {
      const out = await handle(request);
      response = { id, ok: true, result: out.result };
      transfer = out.transfer ?? [];
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      response = { id, ok: false, error: { name: error.name, message: error.message.split('\n')[0] } };
    }
    scope.postMessage(response, transfer);
  });
};
