// The model worker: every tensor lives here, so the page stays responsive. Requests are handled one at a time
// in arrival order; a failure answers that request with its one-line error and leaves the worker usable.
import { Session } from './session.js';
import { TRAINING, train } from './train.js';
import type { Request, Response } from '../protocol.js';

interface WorkerScope {
  onmessage: ((e: MessageEvent<{ id: number; request: Request }>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;
const session = new Session();

async function handle(request: Request): Promise<{ result: unknown; transfer?: Transferable[] }> {
  switch (request.cmd) {
    case 'init':
      return { result: await session.init(request) };
    case 'capabilities':
      return { result: { training: TRAINING } };
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
      return { result: await train(request) };
    default:
      throw new Error(`unknown command ${(request as { cmd: string }).cmd}`);
  }
}

let queue: Promise<void> = Promise.resolve();
scope.onmessage = (e) => {
  const { id, request } = e.data;
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
