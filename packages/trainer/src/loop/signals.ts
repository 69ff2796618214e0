/**
 * Turns SIGINT/SIGTERM into a flag the training loop polls between steps (a step is never cut in half). A second
 * signal while stopping is left to Node's default handler only after {@link SignalWatch.dispose}.
 */
export class SignalWatch {
  private received: NodeJS.Signals | undefined;
  private readonly handler = (sig: NodeJS.Signals): void => {
    this.received = sig;
  };

  constructor(private readonly signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']) {
    for (const s of signals) process.on(s, this.handler);
  }

  /** The signal received, if any. */
  get signal(): NodeJS.Signals | undefined {
    return this.received;
  }

  /** Removes the handlers. */
  dispose(): void {
    for (const s of this.signals) process.off(s, this.handler);
  }
}
