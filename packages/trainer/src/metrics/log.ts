/** One metrics record: `type` is `train` (a logged step), `eval` (an evaluation) or `event`. */
export interface MetricsRecord {
  readonly type: 'train' | 'eval' | 'event';
  readonly step: number;
  readonly [key: string]: unknown;
}

/** Where a {@link MetricsLog} persists its records, e.g. a JSON Lines file (`metricsFile` of the node entry). */
export interface MetricsSink {
  /** Replaces everything persisted with these records (a resumed run rewrites its history). */
  reset(records: readonly MetricsRecord[]): void;
  /** Persists one more record. */
  append(record: MetricsRecord): void;
}

/**
 * The metrics of a run, in memory and optionally persisted through a sink. A checkpoint stores "records so far",
 * so a resumed run rewrites the sink to exactly the records up to its checkpoint.
 */
export class MetricsLog {
  readonly records: MetricsRecord[] = [];

  constructor(private readonly sink?: MetricsSink) {}

  /** Replaces the history (resume) and the sink's contents. */
  reset(records: readonly MetricsRecord[]): void {
    this.records.length = 0;
    this.records.push(...records);
    this.sink?.reset(records);
  }

  /** Records one entry. */
  write(record: MetricsRecord): void {
    this.records.push(record);
    this.sink?.append(record);
  }
}
