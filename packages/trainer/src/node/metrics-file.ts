import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '@albert-ts/core/node';
import { TrainerError } from '../errors.js';
import { MetricsLog } from '../metrics/log.js';
import { errnoParts } from './errno.js';

/** Runs a write of the metrics file; a failure (ENOSPC, EIO, ...) becomes a one-line TrainerError naming the file. */
function writing(file: string, write: () => void): void {
  try {
    write();
  } catch (err) {
    const { code, reason } = errnoParts(err, file);
    throw new TrainerError(`cannot write the metrics file ${file}: ${code} (${reason})`, { cause: err });
  }
}

/** A {@link MetricsLog} that also writes JSON Lines to `file` (rewritten atomically on reset, appended per record). */
export function metricsFile(file: string): MetricsLog {
  return new MetricsLog({
    reset(records) {
      writing(file, () => {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        writeFileAtomicSync(file, records.map((r) => JSON.stringify(r) + '\n').join(''));
      });
    },
    append(record) {
      writing(file, () => fs.appendFileSync(file, JSON.stringify(record) + '\n'));
    },
  });
}
