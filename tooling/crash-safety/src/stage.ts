// What every stage gets and gives back.

/** The run of one stage. */
export interface StageContext {
  /** A directory of its own for the stage's runs. */
  readonly dir: string;
  /** The whole run's work directory (a later stage may reuse an earlier one's output). */
  readonly work: string;
  /** Kills per crash loop. */
  readonly kills: number;
  readonly random: () => number;
  /** Progress lines (stderr). */
  log(line: string): void;
}

/** A stage's verdict: its summary line, and whether every check held. */
export interface StageResult {
  readonly ok: boolean;
  readonly line: string;
}

/** A stage. */
export type Stage = (ctx: StageContext) => Promise<StageResult>;
