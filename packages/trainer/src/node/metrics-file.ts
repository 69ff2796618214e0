import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '@albert-ts/core/node';
import { MetricsLog } from '../metrics/log.js';

/** A {@link MetricsLog} that also writes JSON Lines to `file` (rewritten atomically on reset, appended per record). */
export function metricsFile(file: string): MetricsLog {
  return new MetricsLog({
    reset(records) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomicSync(file, records.map((r) => JSON.stringify(r) + '\n').join(''));
    },
    append(record) {
      fs.appendFileSync(file, JSON.stringify(record) + '\n');
    },
  });
}
