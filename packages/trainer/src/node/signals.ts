/** An abort signal raised by SIGINT/SIGTERM; `train` finishes the step in progress, saves and returns. */
export interface SignalStop {
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  readonly received: NodeJS.Signals | undefined;
  /** Removes the handlers (a later signal gets Node's default behaviour again). */
  dispose(): void;
}

/**
 * Turns SIGINT/SIGTERM into an `AbortSignal` for `train({ signal })` (a step is never cut in half). While the
 * handlers are installed a second signal does nothing; call `dispose()` when the run is over.
 */
export function stopOnSignals(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): SignalStop {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (sig: NodeJS.Signals): void => {
    received ??= sig;
    controller.abort(sig);
  };
  for (const s of signals) process.on(s, handler);
  return {
    signal: controller.signal,
    get received() { return received; },
    dispose: () => { for (const s of signals) process.off(s, handler); },
  };
}
