import fs from 'node:fs';
import { writeFileAtomicSync } from '@albert-ts/core/node';

/** One metrics record: `type` is `train` (a logged step), `eval` (held-out evaluation) or `event`. */
export interface MetricsRecord {
  readonly type: 'train' | 'eval' | 'event';
  readonly step: number;
  readonly [key: string]: unknown;
}

/**
 * Appends metrics records as JSON Lines (one object per line) and keeps them in memory, so a checkpoint can store
 * "metrics so far" and a resumed run can rewrite the file to exactly the records up to its checkpoint.
 */
export class MetricsLog {
  readonly records: MetricsRecord[] = [];

  /** @param file JSONL file to append to; undefined keeps records in memory only. */
  constructor(private readonly file?: string) {}

  /** Replaces the history (resume) and rewrites the file atomically to match it. */
  reset(records: MetricsRecord[]): void {
    this.records.length = 0;
    this.records.push(...records);
    if (this.file !== undefined) {
      writeFileAtomicSync(this.file, records.map((r) => JSON.stringify(r) + '\n').join(''));
    }
  }

  /** Records one entry and appends it to the file. */
  write(record: MetricsRecord): void {
    this.records.push(record);
    if (this.file !== undefined) fs.appendFileSync(this.file, JSON.stringify(record) + '\n');
  }
}
